/** A real node:http receiver on 127.0.0.1 that answers at once and only counts what it gets (keeping
 * every request, as the test Receiver does, would distort the memory figures): each body is parsed for
 * its event ids and types, then dropped. It reads and answers three body formats: one Standard Webhooks
 * envelope (custom webhooks, answered 200 "ok"), Splunk HEC envelopes one per line (answered as HEC
 * does, `{"text":"Success","code":0}`), and an Elasticsearch `_bulk` NDJSON body (answered with one
 * `create` item per document, as a filtered bulk answer). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type BodyFormat = 'envelope' | 'splunk' | 'elastic';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The events one body carries, in order (id and type), or undefined when it cannot be read. */
const eventsOf = (format: BodyFormat, text: string): { id: unknown; type: unknown }[] | undefined => {
  try {
    if (format === 'envelope') {
      const parsed: unknown = JSON.parse(text);
      return isObject(parsed) ? [{ id: parsed.id, type: parsed.type }] : undefined;
    }
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    if (format === 'splunk') {
      // renderSplunk: one HEC envelope per line, our envelope as its `event`
      return lines.map((line) => {
        const hec: unknown = JSON.parse(line);
        const event = isObject(hec) && isObject(hec.event) ? hec.event : {};
        return { id: event.id, type: event.type };
      });
    }
    // elastic: action / document pairs; the document's event.id is the event id, event.action its type
    const out: { id: unknown; type: unknown }[] = [];
    for (let i = 1; i < lines.length; i += 2) {
      const doc: unknown = JSON.parse(lines[i] ?? '');
      const event = isObject(doc) && isObject(doc.event) ? doc.event : {};
      out.push({ id: event.id, type: event.action });
    }
    return out;
  } catch {
    return undefined;
  }
};

const answerOf = (format: BodyFormat, events: number): { status: number; type: string; body: string } => {
  if (format === 'splunk') return { status: 200, type: 'application/json; charset=UTF-8', body: '{"text":"Success","code":0}' };
  if (format === 'elastic') return { status: 200, type: 'application/json', body: JSON.stringify({ errors: false, items: Array.from({ length: events }, () => ({ create: { status: 201 } })) }) };
  return { status: 200, type: 'text/plain', body: 'ok' };
};

export class CountingReceiver {
  requests = 0;
  bytes = 0;
  /** distinct `webhook-id` headers: one per message (a lone event, or a batch of several), however often it is retried */
  readonly messageIds = new Set<string>();
  /** distinct event ids in the bodies (the envelope `id`) → the virtual time (ms) of the first request
   * that carried it: `Date.now()` is the host's manual clock while a bench host is open, and a request
   * reaches this server while the consumer that sends it runs, at that item's due time. */
  readonly firstSeenAt = new Map<string, number>();
  /** events carried by distinct messages (a retry of a webhook-id already seen is not counted again):
   * equal to firstSeenAt.size when every event arrived exactly once */
  eventSightings = 0;
  /** events in requests that repeat a webhook-id already received (the host's at-least-once queue
   * redeliveries): a receiver that dedupes by webhook-id drops them; Splunk or Elastic would not */
  resentEvents = 0;
  /** the most events one request carried */
  maxEventsPerRequest = 0;
  /** event types seen, for filtering out the app's own config events */
  readonly types = new Map<string, number>();
  /** requests without the signature (custom) or credential (SIEM kinds) header */
  unsigned = 0;
  private server: Server | undefined;

  /** @param signatureHeader the header every request must carry: the signature, or `authorization` for SIEM kinds */
  constructor(
    private readonly signatureHeader: string,
    readonly format: BodyFormat = 'envelope',
  ) {}

  /** What this receiver has been delivered: messages for one-event-per-message bodies (as before), distinct events for batches. */
  get delivered(): number {
    return this.format === 'envelope' ? this.messageIds.size : this.firstSeenAt.size;
  }

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
        const repeat = typeof id === 'string' && this.messageIds.has(id);
        if (typeof id === 'string') this.messageIds.add(id);
        if (typeof req.headers[this.signatureHeader] !== 'string') this.unsigned += 1;
        const events = eventsOf(this.format, body.toString('utf8'));
        if (events === undefined) this.types.set('unparsable', (this.types.get('unparsable') ?? 0) + 1);
        for (const event of events ?? []) {
          if (typeof event.id === 'string' && !this.firstSeenAt.has(event.id)) this.firstSeenAt.set(event.id, arrivedAt);
          if (repeat) this.resentEvents += 1;
          else this.eventSightings += 1;
          const type = typeof event.type === 'string' ? event.type : 'unknown';
          this.types.set(type, (this.types.get(type) ?? 0) + 1);
        }
        this.maxEventsPerRequest = Math.max(this.maxEventsPerRequest, events?.length ?? 0);
        const answer = answerOf(this.format, events?.length ?? 0);
        res.writeHead(answer.status, { 'content-type': answer.type });
        res.end(answer.body);
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
    this.eventSightings = 0;
    this.resentEvents = 0;
    this.maxEventsPerRequest = 0;
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
