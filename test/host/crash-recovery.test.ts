/** A host process killed with SIGKILL loses nothing it accepted: a queue event is removed only when its
 * consumer finishes, a product event is on disk when /__forge/events answers, and a restart on the same
 * FORGE_LOCAL_DIR delivers what was running again (Forge: an invocation that dies leaves its event to be
 * delivered again). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { kill, listening, postJson, startHost, stop, type Run } from './host-process';

describe('SIGKILL in the middle of a delivery run', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'forge-local-crash-'));
  const runs: Run[] = [];
  afterAll(() => {
    runs.forEach(kill);
    rmSync(dir, { recursive: true, force: true });
  });
  const run = (extra: Record<string, string> = {}) => {
    const r = startHost({ PORT: '0', FORGE_LOCAL_DIR: dir, FORGE_LOCAL_CLOCK: 'manual', FORGE_LOCAL_DUPLICATE_RATE: '0', ...extra });
    runs.push(r);
    return r;
  };
  const kvsGet = async (url: string, key: string) => ((await postJson(url, '/__forge/invoke', { functionKey: 'kvsGet', payload: { key } })) as { result: { value?: unknown } }).result.value;

  it('redelivers the events whose consumers were running, and keeps the product event it had answered', async () => {
    const first = run();
    const url1 = await listening(first);
    expect(await postJson(url1, '/__forge/invoke', { functionKey: 'push', payload: { count: 3, id: 'slow', mode: 'sleep', succeedAfter: 1, sleepMs: 60_000 } })).toMatchObject({ result: { ok: true } });
    expect(await postJson(url1, '/__forge/events', { eventType: 'avi:jira:created:issue', issue: { id: '1', key: 'CRASH-1' } })).toEqual({ invocations: 1 });
    // The consumers start and sleep; the settle never answers because the process dies under it.
    const settling = fetch(`${url1}/__forge/settle`, { method: 'POST' }).catch(() => 'killed');
    await new Promise((r) => setTimeout(r, 1500));
    kill(first);
    expect(await settling).toBe('killed');
    await first.exited;

    // Time limits cut to 1 %: the redelivered attempt sleeps again, times out after 0.6 s, and its
    // platform retry (30 s later, retryCount 1) succeeds.
    const second = run({ FORGE_LOCAL_TIME_LIMIT_SCALE: '0.01' });
    const url2 = await listening(second);
    expect(await kvsGet(url2, 'trigger-attempts:CRASH-1')).toBe(1);
    const before = (await (await fetch(`${url2}/__forge/stats`)).json()) as { queue: { pending: number } };
    expect(before.queue.pending).toBe(3);
    await postJson(url2, '/__forge/clock/advance', { seconds: 31 });
    for (const i of [0, 1, 2]) expect(await kvsGet(url2, `delivered:slow-${i}`)).toMatchObject({ retryCount: 1 });
    const after = (await (await fetch(`${url2}/__forge/stats`)).json()) as { queue: { pending: number } };
    expect(after.queue.pending).toBe(0);
    expect(await stop(second)).toBe(0);
  }, 60_000);
});
