import { createHmac } from 'node:crypto';
import type { ForgeHost } from '../../../dev/host';
import type { AdminFunctionKey, AdminInput, AdminOutput, AdminResult, DeliveryView, WebhookView } from '../../../src/contract';
import { ADMIN, startTestBed, type TestBedOptions } from './app-host';
import { issueCreatedEvent } from './jira-events';
import type { Receiver, ReceivedRequest } from './receiver';

/** The test bed (startTestBed) with the admin functions called through the typed contract of src/contract. */
export interface DeliveryBed {
  host: ForgeHost;
  receivers: Record<string, Receiver>;
  /** The resolver's envelope as is. */
  result<K extends AdminFunctionKey>(key: K, input: AdminInput<K>): Promise<AdminResult<K>>;
  /** The resolver's data; throws with the error envelope when the call failed. */
  admin<K extends AdminFunctionKey>(key: K, input: AdminInput<K>): Promise<AdminOutput<K>>;
  close(): Promise<void>;
}

export const startDeliveryBed = async (hosts: string[], options: TestBedOptions = {}): Promise<DeliveryBed> => {
  const { host, receivers, close } = await startTestBed(hosts, options);
  const result = async <K extends AdminFunctionKey>(key: K, input: AdminInput<K>): Promise<AdminResult<K>> =>
    (await host.invoke(key, input, ADMIN)) as AdminResult<K>;
  return {
    host,
    receivers,
    result,
    admin: async (key, input) => {
      const answer = await result(key, input);
      if (!answer.ok) throw new Error(`${key} failed: ${JSON.stringify(answer.error)}`);
      return answer.data;
    },
    close,
  };
};

/** A delivery bed routing one host to one receiver, and that receiver: where most delivery tests start. */
export const startBedWithReceiver = async (hostName: string): Promise<{ bed: DeliveryBed; receiver: Receiver }> => {
  const bed = await startDeliveryBed([hostName]);
  return { bed, receiver: bed.receivers[hostName] as Receiver };
};

/** A Jira issue-created product event; `n` makes the issue (and so the event id) distinct. */
export const issueCreated = (n: number, fields: Record<string, unknown> = {}) =>
  issueCreatedEvent({ id: String(20000 + n), key: `SEC-${n}`, summary: `Audit event number ${n}` }, fields);

export interface Envelope {
  id: string;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export const envelopeOf = (request: ReceivedRequest): Envelope | undefined => {
  try {
    const value: unknown = JSON.parse(request.body);
    return typeof value === 'object' && value !== null && 'type' in value ? (value as Envelope) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The attempts a receiver saw: its requests less exact repeats of one attempt (the same `webhook-id`
 * and `webhook-timestamp`). Forge delivers a queue event at least once, so the same delivery job can
 * run twice at the same moment and send one attempt twice; tests that need those repeats read
 * `receiver.requests` (see `repeatedAttempts`).
 */
export const distinctAttempts = (requests: ReceivedRequest[]): ReceivedRequest[] => {
  const seen = new Set<string>();
  return requests.filter((r) => {
    const key = `${header(r, 'webhook-id')}|${header(r, 'webhook-timestamp')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

/** The first request of each message (`webhook-id`), as a receiver that de-duplicates keeps them. */
export const distinctMessages = (requests: ReceivedRequest[]): ReceivedRequest[] => {
  const seen = new Set<string>();
  return requests.filter((r) => {
    const id = header(r, 'webhook-id');
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
};

/** How many requests repeated an attempt already received (at-least-once delivery). */
export const repeatedAttempts = (receiver: Receiver): number => receiver.requests.length - distinctAttempts(receiver.requests).length;

/** Attempts whose JSON body is an event of this type (config audit events of the app are left out). */
export const requestsOfType = (receiver: Receiver, type: string): ReceivedRequest[] =>
  distinctAttempts(receiver.requests).filter((r) => envelopeOf(r)?.type === type);

export const header = (request: ReceivedRequest, name: string): string => {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
};

/** Every page of deliveries.list. */
export const allDeliveries = async (bed: DeliveryBed, query: AdminInput<'deliveries.list'> = {}): Promise<DeliveryView[]> => {
  const out: DeliveryView[] = [];
  let cursor: string | undefined;
  do {
    const page = await bed.admin('deliveries.list', { ...query, limit: 100, ...(cursor ? { cursor } : {}) });
    out.push(...page.deliveries);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
};

export const createWebhook = async (bed: DeliveryBed, input: Partial<AdminInput<'webhooks.create'>> & { url: string }): Promise<WebhookView> => {
  const { webhook } = await bed.admin('webhooks.create', { kind: 'custom', name: `Hook ${new globalThis.URL(input.url).pathname}`, events: ['issue.created'], ...input });
  return webhook;
};

export const getWebhook = async (bed: DeliveryBed, id: string): Promise<WebhookView> => (await bed.admin('webhooks.get', { id })).webhook;

/**
 * Runs what is due now, then lets ten virtual seconds pass, a second at a time: the drain reads only
 * outbox entries older than its fence (3 s) and looks every 4 s while events keep coming, so an event
 * fired now reaches the delivery queue up to 8 s after it was recorded. Every retry the tests look at is
 * at least 24 s away.
 */
export const FLUSH_SECONDS = 10;
export const flush = async (host: ForgeHost): Promise<void> => {
  await host.settle();
  for (let i = 0; i < FLUSH_SECONDS; i += 1) await host.advance(1);
};

/** Moves the manual clock to `atMs` (virtual epoch ms), running whatever falls due on the way. */
export const advanceTo = async (host: ForgeHost, atMs: number): Promise<void> => {
  const seconds = (atMs - Date.now()) / 1000;
  if (seconds > 0) await host.advance(seconds);
};

/** Advances the manual clock in steps until `done()` holds or `maxSeconds` have passed; answers the seconds used. */
export const advanceUntil = async (host: ForgeHost, done: () => boolean, maxSeconds: number, stepSeconds = 60): Promise<number> => {
  let used = 0;
  while (!done() && used < maxSeconds) {
    const step = Math.min(stepSeconds, maxSeconds - used);
    await host.advance(step);
    used += step;
  }
  return used;
};

// ---- Independent verifiers, written from the specs, not from src/domain/signing -------------------------

/** Seed 000's check: base64 HMAC-SHA256 of the raw body keyed by the secret string, one per secret, comma-joined. */
export const seed000Valid = (secrets: string[], signatureHeader: string, rawBody: string): boolean => {
  const signatures = signatureHeader.split(',');
  if (secrets.length !== signatures.length) return false;
  const expected = secrets.map((secret) => createHmac('sha256', secret).update(Buffer.from(rawBody, 'utf8')).digest('base64'));
  return signatures.every((signature) => expected.includes(signature));
};

/** Jira/GitHub style: sha256=<hex HMAC-SHA256 of the raw body>; true when some entry matches the secret. */
export const hubValid = (secret: string, signatureHeader: string, rawBody: string): boolean => {
  const expected = `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
  return signatureHeader.split(',').map((s) => s.trim()).includes(expected);
};

/** Standard Webhooks v1: base64 HMAC-SHA256 of `${id}.${timestamp}.${body}` keyed by base64-decoded whsec_ secret. */
export const standardEntries = (secret: string, request: ReceivedRequest): { expected: string; offered: string[] } => {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = `${header(request, 'webhook-id')}.${header(request, 'webhook-timestamp')}.${request.body}`;
  return {
    expected: `v1,${createHmac('sha256', key).update(signed, 'utf8').digest('base64')}`,
    offered: header(request, 'webhook-signature').split(' '),
  };
};
