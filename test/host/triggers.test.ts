import { manualHost, call } from './helpers';
import type { ForgeHost } from '../../dev/host';

const issue = { id: '10001', key: 'DEMO-1' };

describe('product-event triggers and scheduled triggers', () => {
  let host: ForgeHost;
  beforeEach(async () => {
    host = await manualHost();
  });
  afterEach(() => host.close());

  it('runs subscribed triggers and skips the app’s own events with ignoreSelf', async () => {
    expect(await host.fireEvent({ eventType: 'avi:jira:created:issue', atlassianId: 'u1', issue })).toEqual({ invocations: 1 });
    expect(await host.fireEvent({ eventType: 'avi:jira:deleted:issue', atlassianId: 'u1', issue })).toEqual({ invocations: 0 });
    expect(await host.fireEvent({ eventType: 'avi:jira:created:issue', atlassianId: host.stats().systemAccountId, issue })).toEqual({ invocations: 0 });
    expect(await call(host, 'kvsGet', { key: 'trigger-attempts:DEMO-1' })).toBe(1);
    expect(host.stats().triggers).toMatchObject({ events: 3, invocations: 1, ignoredSelf: 1 });
  });

  it('retries a returned InvocationError after retryAfter, at most 4 times', async () => {
    await host.fireEvent({ eventType: 'avi:jira:updated:issue', issue, mode: 'retry', retryAfter: 100 });
    await host.advance(99);
    expect(await call(host, 'kvsGet', { key: 'trigger-attempts:DEMO-1' })).toBe(1);
    await host.advance(1);
    expect(await call(host, 'kvsGet', { key: 'trigger-attempts:DEMO-1' })).toBe(2);
    expect(await call(host, 'kvsGet', { key: 'trigger-log:DEMO-1:1' })).toEqual({ at: Date.parse('2026-11-20T12:01:40.000Z'), eventType: 'avi:jira:updated:issue' });
    await host.advance(3600);
    expect(await call(host, 'kvsGet', { key: 'trigger-attempts:DEMO-1' })).toBe(5);
    expect(host.stats().triggers).toMatchObject({ retries: 4, dropped: 1 });
  });

  it('does not retry a thrown error (Forge retries only InvocationError, time-outs and out-of-memory)', async () => {
    await host.fireEvent({ eventType: 'avi:jira:created:issue', issue, mode: 'throw' });
    await host.advance(3600);
    expect(await call(host, 'kvsGet', { key: 'trigger-attempts:DEMO-1' })).toBe(1);
    expect(host.stats().invocations['on-event']).toMatchObject({ invocations: 1, errors: 1 });
    expect(host.stats().triggers).toMatchObject({ failed: 1, retries: 0 });
  });

  it('runs scheduled triggers on demand and on their interval as virtual time passes', async () => {
    await host.runScheduled('fixture-poll');
    expect(await call(host, 'kvsGet', { key: 'scheduled-runs' })).toBe(1);
    await host.advance(3 * 3600);
    expect(await call(host, 'kvsGet', { key: 'scheduled-runs' })).toBe(4);
    expect(await call(host, 'kvsGet', { key: 'scheduled-at:2' })).toBe('2026-11-20T13:00:00.000Z');
    expect(host.stats().scheduled.runs).toBe(4);
  });
});
