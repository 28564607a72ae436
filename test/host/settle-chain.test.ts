import { FIXTURE_DIR, call, EXACTLY_ONCE } from './helpers';
import { createForgeHost, type ForgeHost } from '../../dev/host';

/** settle runs "everything due now until nothing is": also what the work it runs pushes meanwhile. */
describe.each(['manual', 'real'] as const)('settle with the %s clock', (clock) => {
  let host: ForgeHost;
  beforeEach(async () => {
    // A long tick, so with the real clock only settle runs the queue during the test.
    host = await createForgeHost({ appDir: FIXTURE_DIR, clock, tickMs: 60_000, ...EXACTLY_ONCE });
  });
  afterEach(() => host.close());

  it('runs follow-up events that consumers push while it runs', async () => {
    await call(host, 'push', { count: 1, id: 'c', mode: 'chain', chain: 3 });
    expect(await host.settle()).toEqual({ processed: 4 });
    expect(await call(host, 'kvsGet', { key: 'delivered:c-0.next.next.next' })).toMatchObject({ retryCount: 0 });
    expect(host.stats().queue).toMatchObject({ pending: 0 });
  });
});
