/**
 * Past the largest burst the triggers' retries absorb: an event KVS still refuses on the trigger's last
 * try is handed to the pipeline queue (a push writes nothing to KVS) and recorded later, not lost.
 */
import { kvs, WhereConditions } from '@forge/kvs';
import { startTestBed, type TestBed } from './support/app-host';
import { captureLogs, createWebhook, uniqueDeliveries } from './support/events-kit';
import { flush, issueCreated } from './support/delivery-bed';

const HOST = 'siem.example.test';

describe('an event KVS refuses on the trigger\'s last try', () => {
  let bed: TestBed;
  beforeAll(async () => {
    bed = await startTestBed([HOST]);
  });
  afterAll(() => bed.close());

  it('is handed to the pipeline queue, recorded once the minute has room, and delivered once', async () => {
    await createWebhook(bed, { name: 'SIEM', url: `https://${HOST}/hook`, events: ['issue.created'] });
    await flush(bed.host);
    // Spend this minute's 4,000 KVS write units: 100 KB values (10 units each) until one is refused, then
    // small ones (one unit) until one of those is refused too.
    const fill = async (size: number, prefix: string): Promise<void> => {
      for (let i = 0; i < 5000; i += 1) {
        const refused = await kvs.set(`${prefix}:${i}`, 'x'.repeat(size)).then(() => false, () => true);
        if (refused) return;
      }
      throw new Error('KVS never refused a write');
    };
    await fill(100 * 1024 - 100, 'filler-large');
    await fill(100, 'filler-small');
    // The fifth try of the trigger (retryCount 4: Forge will not call again).
    const { lines } = await captureLogs(async () => {
      await bed.host.fireEvent({ ...issueCreated(77), retryContext: { retryCount: 4, retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED' } });
    });
    expect(lines.some((l) => l.level === 'warn' && String(l.message).startsWith('App storage refused a Jira event 5 times: it is handed to the pipeline queue'))).toBe(true);
    expect(uniqueDeliveries(bed.receivers[HOST]!).filter((d) => d.body.data.object.key === 'SEC-77')).toHaveLength(0);
    // The hand-over waits 60-900 s; by then the minute has room.
    for (let minute = 0; minute < 20; minute += 1) await bed.host.advance(60);
    await flush(bed.host);
    const delivered = uniqueDeliveries(bed.receivers[HOST]!).filter((d) => d.body.data.object.key === 'SEC-77');
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.body.type).toBe('issue.created');
    expect(bed.host.stats().triggers.dropped).toBe(0);
    // Nothing was set aside: the event was recorded, late.
    expect((await kvs.query().where('key', WhereConditions.beginsWith('setaside:')).limit(10).getMany()).results).toHaveLength(0);
  }, 300_000);
});
