import { AlertListeners, ALERT_LISTENERS_TTL_SECONDS } from '../../../src/app/pipeline/alert-listeners';

/** A clock the test moves, and a store answer the test changes, counting the questions asked. */
const setup = (installation = 'site-a') => {
  let nowMs = Date.parse('2026-11-30T10:00:00.000Z');
  let listening = new Set<string>(['app.webhook.failing']);
  const asked: string[] = [];
  let site = installation;
  const memory = new Map<string, { listened: boolean; atMs: number }>();
  const listeners = new AlertListeners({
    clock: { now: () => new Date(nowMs) },
    memoryKey: () => site,
    query: (type) => {
      asked.push(`${site}:${type}`);
      return Promise.resolve(listening.has(type));
    },
    memory,
  });
  return {
    listeners,
    asked,
    advance: (seconds: number) => (nowMs += seconds * 1000),
    listen: (types: string[]) => (listening = new Set(types)),
    serve: (next: string) => (site = next),
  };
};

describe('AlertListeners: who listens for failure alerts, asked at most once a minute', () => {
  it('answers from the store, then from memory within the minute, then asks again', async () => {
    const t = setup();
    expect(await t.listeners.listened('app.webhook.failing')).toBe(true);
    expect(await t.listeners.listened('app.webhook.recovered')).toBe(false);
    t.listen([]);
    t.advance(ALERT_LISTENERS_TTL_SECONDS - 1);
    expect(await t.listeners.listened('app.webhook.failing')).toBe(true);
    expect(t.asked).toEqual(['site-a:app.webhook.failing', 'site-a:app.webhook.recovered']);
    t.advance(1);
    expect(await t.listeners.listened('app.webhook.failing')).toBe(false);
    expect(t.asked).toHaveLength(3);
  });

  it("never answers one installation with another's", async () => {
    const t = setup();
    expect(await t.listeners.listened('app.webhook.failing')).toBe(true);
    t.serve('site-b');
    t.listen([]);
    expect(await t.listeners.listened('app.webhook.failing')).toBe(false);
    expect(t.asked).toEqual(['site-a:app.webhook.failing', 'site-b:app.webhook.failing']);
  });
});
