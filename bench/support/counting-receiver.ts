/** A real node:http receiver on 127.0.0.1 that answers 200 at once and only counts what it gets
 * (keeping every request, as the test Receiver does, would distort the memory figures): each body is
 * parsed for its event id and type, then dropped. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class CountingReceiver {
  requests = 0;
  bytes = 0;
  /** distinct `webhook-id` headers: one per message, however often it is retried */
  readonly messageIds = new Set<string>();
  /** distinct event ids in the bodies (Standard Webhooks envelope `id`) → the virtual time (ms) of the
   * first request that carried it: `Date.now()` is the host's manual clock while a bench host is open,
   * and a request reaches this server while the consumer that sends it runs, at that item's due time. */
  readonly firstSeenAt = new Map<string, number>();
  /** event types seen, for filtering out the app's own config events */
  readonly types = new Map<string, number>();
  unsigned = 0;
  private server: Server | undefined;

  constructor(private readonly signatureHeader: string) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const arrivedAt = Date.now();
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        this.requests += 1;
        this.bytes += body.byteLength;
        const id = req.headers['webhook-id'];
        if (typeof id === 'string') this.messageIds.add(id);
        if (typeof req.headers[this.signatureHeader] !== 'string') this.unsigned += 1;
        try {
          const parsed = JSON.parse(body.toString('utf8')) as { id?: unknown; type?: unknown };
          if (typeof parsed.id === 'string' && !this.firstSeenAt.has(parsed.id)) this.firstSeenAt.set(parsed.id, arrivedAt);
          const type = typeof parsed.type === 'string' ? parsed.type : 'unknown';
          this.types.set(type, (this.types.get(type) ?? 0) + 1);
        } catch {
          this.types.set('unparsable', (this.types.get('unparsable') ?? 0) + 1);
        }
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  reset(): void {
    this.requests = 0;
    this.bytes = 0;
    this.messageIds.clear();
    this.firstSeenAt.clear();
    this.types.clear();
    this.unsigned = 0;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
