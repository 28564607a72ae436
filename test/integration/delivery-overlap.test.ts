import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CUSTOM_PARALLEL_SENDS } from '../../src/app/delivery/deliver-job';
import { allDeliveries, createWebhook, flush, issueCreated, startDeliveryBed, type DeliveryBed } from './support/delivery-bed';

const SLOW = 'slow-siem.example.com';
const ANSWER_MS = 300;

/** A receiver that answers every request 300 ms (wall time) after it arrives, counting how many it holds at once. */
class SlowReceiver {
  inFlight = 0;
  maxInFlight = 0;
  readonly ids: string[] = [];
  private readonly server: Server = createServer((req, res) => {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    req.resume();
    req.on('end', () => {
      const id = req.headers['webhook-id'];
      if (typeof id === 'string') this.ids.push(id);
      setTimeout(() => {
        this.inFlight -= 1;
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      }, ANSWER_MS);
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

type ForgeFetch = (target: { type?: string }, path: string, init?: { body?: unknown }) => Promise<Response>;
const forgeGlobal = globalThis as typeof globalThis & { __forge_fetch__: ForgeFetch };

/** Every KVS get the app makes through the host (the real @forge/kvs calls `__forge_fetch__`): key and HTTP status. */
const watchKvsGets = (): { gets: { key: string; status: number }[]; stop: () => void } => {
  const original = forgeGlobal.__forge_fetch__;
  const gets: { key: string; status: number }[] = [];
  const watching: ForgeFetch = async (target, path, init) => {
    const response = await original(target, path, init);
    if (target.type === 'kvs' && path === '/api/v1/get' && typeof init?.body === 'string') {
      gets.push({ key: String((JSON.parse(init.body) as { key?: unknown }).key), status: response.status });
    }
    return response;
  };
  Object.defineProperty(globalThis, '__forge_fetch__', { value: watching, configurable: true, writable: true });
  return { gets, stop: () => Object.defineProperty(globalThis, '__forge_fetch__', { value: original, configurable: true, writable: true }) };
};

describe('delivery engine: overlapping sends to a slow custom webhook', () => {
  let bed: DeliveryBed;
  let receiver: SlowReceiver;

  beforeEach(async () => {
    receiver = new SlowReceiver();
    bed = await startDeliveryBed([], { routes: { [SLOW]: await receiver.start() } });
  });
  afterEach(async () => {
    await bed.close();
    await receiver.stop();
  });

  it(`sends up to ${CUSTOM_PARALLEL_SENDS} messages of a job at once, never more, and each message once`, async () => {
    const webhook = await createWebhook(bed, { url: `https://${SLOW}/in` });
    const fired = 13;
    for (let n = 1; n <= fired; n += 1) await bed.host.fireEvent(issueCreated(n));
    await flush(bed.host);

    expect(receiver.maxInFlight).toBe(CUSTOM_PARALLEL_SENDS);
    expect(receiver.ids).toHaveLength(fired);
    expect(new Set(receiver.ids).size).toBe(fired);
    const log = (await allDeliveries(bed, { webhookId: webhook.id })).filter((d) => d.eventType === 'issue.created');
    expect(log).toHaveLength(fired);
    for (const delivery of log) {
      expect(delivery.status).toBe('delivered');
      expect(delivery.attempts).toHaveLength(1);
      expect(delivery.attempts[0]).toMatchObject({ number: 1, outcome: 'delivered', httpStatus: 200, response: { status: 200, body: 'ok', truncated: false } });
      expect(delivery.attempts[0]?.request.headers['webhook-id']).toBe(delivery.id);
    }
    expect((await bed.admin('webhooks.get', { id: webhook.id })).webhook.health.state).toBe('healthy');
  });

  it('reads no missing health key for a healthy webhook, however many messages it delivers', async () => {
    const webhook = await createWebhook(bed, { url: `https://${SLOW}/in` });
    const watch = watchKvsGets();
    try {
      for (let n = 1; n <= 6; n += 1) await bed.host.fireEvent(issueCreated(n));
      await flush(bed.host);
    } finally {
      watch.stop();
    }
    expect(receiver.ids).toHaveLength(6);
    const health = watch.gets.filter((g) => g.key === `webhook-health:${webhook.id}`);
    // Not vacuous: delivery did read the webhook's health, and every read found it.
    expect(health.length).toBeGreaterThan(0);
    expect(health.filter((g) => g.status !== 200)).toEqual([]);
  });
});
