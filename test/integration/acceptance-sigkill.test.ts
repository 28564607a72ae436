/** The app on the local host as a real process (`tsx dev/main.ts`), killed with SIGKILL while its
 * deliveries are in flight and started again on the same FORGE_LOCAL_DIR: no accepted event is lost, and
 * each reaches the webhook under one webhook-id (Forge: an invocation that dies leaves its event to be
 * delivered again). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { kill, listening, postJson, startHost, stop, type Run } from '../host/host-process';
import { Receiver } from './support/receiver';
import { uniqueDeliveries } from './support/events-kit';
import { issueCreated } from './support/delivery-bed';

const REPO = path.join(__dirname, '..', '..');
const EVENTS = 30;

describe('SIGKILL during a delivery run', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'forge-local-app-crash-'));
  const receiver = new Receiver();
  const runs: Run[] = [];
  afterAll(async () => {
    runs.forEach(kill);
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const run = async () => {
    const r = startHost({
      PORT: '0',
      FORGE_LOCAL_APP_DIR: REPO,
      FORGE_LOCAL_DIR: dir,
      FORGE_LOCAL_CLOCK: 'manual',
      FORGE_LOCAL_ROUTES: `siem.example.test=${receiver.url}`,
      FORGE_LOCAL_WORKERS: '8',
      FORGE_LOCAL_DUPLICATE_RATE: '0.1',
    });
    runs.push(r);
    return { r, url: await listening(r) };
  };

  it('loses no accepted event', async () => {
    await receiver.start();
    // The receiver holds every request open: the host dies with deliveries in flight.
    receiver.responder = () => ({ hang: true });
    const first = await run();
    const created = (await postJson(first.url, '/__forge/invoke', {
      functionKey: 'webhooks.create',
      payload: { kind: 'custom', name: 'SIEM', url: 'https://siem.example.test/hook', events: ['issue.created'] },
    })) as { result: { ok: boolean } };
    expect(created.result.ok).toBe(true);
    for (let n = 1; n <= EVENTS; n += 1) expect(await postJson(first.url, '/__forge/events', issueCreated(n))).toMatchObject({ invocations: 1 });
    void fetch(`${first.url}/__forge/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds: 5 }) }).catch(() => undefined);
    for (let i = 0; i < 200 && receiver.requests.length === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(receiver.requests.length).toBeGreaterThan(0);
    kill(first.r);
    await first.r.exited;

    receiver.responder = () => ({ status: 200, body: 'ok' });
    const second = await run();
    const delivered = () => new Set(uniqueDeliveries(receiver).filter((d) => d.body.type === 'issue.created').map((d) => d.body.id)).size;
    for (let minute = 0; minute < 30 && delivered() < EVENTS; minute += 1) await postJson(second.url, '/__forge/clock/advance', { seconds: 60 });
    const unique = uniqueDeliveries(receiver).filter((d) => d.body.type === 'issue.created');
    const idsPerEvent = new Map<string, Set<string>>();
    for (const d of unique) idsPerEvent.set(d.body.id, (idsPerEvent.get(d.body.id) ?? new Set()).add(d.messageId));
    expect(idsPerEvent.size).toBe(EVENTS);
    expect([...idsPerEvent.values()].every((ids) => ids.size === 1)).toBe(true);
    expect(await stop(second.r)).toBe(0);
  }, 180_000);
});
