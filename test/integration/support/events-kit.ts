/**
 * Helpers for the event-source and pipeline integration tests (test/integration/events-*.test.ts):
 * Jira fixtures, the documented catalogue, webhooks through the admin API, what receivers got, and
 * running the manual clock until the app has nothing left to do.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { ForgeHost, HostStats } from '../../../dev/host';
import { APP_DIR, type TestBed } from './app-host';
import type { Receiver } from './receiver';

export const FIXTURE_ROOT = path.join(APP_DIR, 'test', 'fixtures', 'jira');

type Json = Record<string, unknown>;

const withoutNotes = (value: Json): Json => Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith('_')));

/** A Jira fixture (test/fixtures/jira/<name>.json) without its `_source` note. */
export const jiraFixture = (name: string): Json => withoutNotes(JSON.parse(readFileSync(path.join(FIXTURE_ROOT, `${name}.json`), 'utf8')) as Json);

/** A made-up malformed payload and the text its error must contain. */
export const malformedFixture = (name: string): { payload: Json; expectError: string } => {
  const raw = JSON.parse(readFileSync(path.join(FIXTURE_ROOT, 'malformed', `${name}.json`), 'utf8')) as Json;
  return { payload: raw.payload as Json, expectError: String(raw._expectError) };
};

export const fixtureNames = (folder: string): string[] =>
  readdirSync(path.join(FIXTURE_ROOT, folder))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.replace(/\.json$/, ''))
    .sort();

export interface CatalogueRow {
  type: string;
  source: string;
  /** The Forge event name for product events (without "(not subscribed)"), else what the docs say. */
  madeFrom: string;
  subscribed: boolean;
}

/** The catalogue table of docs/events.md: the documented types, an oracle independent of the code. */
export const documentedCatalogue = (): CatalogueRow[] => {
  const text = readFileSync(path.join(APP_DIR, 'docs', 'events.md'), 'utf8');
  const start = text.indexOf('## Catalogue');
  const rows: CatalogueRow[] = [];
  for (const line of text.slice(start).split('\n')) {
    const match = /^\| `([a-z0-9_.]+)` \| [^|]+ \| ([a-z-]+) \| ([^|]+) \|/.exec(line);
    if (!match) continue;
    const madeFromCell = (match[3] ?? '').trim();
    rows.push({
      type: match[1] as string,
      source: match[2] as string,
      madeFrom: madeFromCell.replace(/`/g, '').replace(/\(not subscribed\)/, '').trim(),
      subscribed: !madeFromCell.includes('not subscribed'),
    });
  }
  return rows;
};

export interface WebhookInput {
  name: string;
  url: string;
  events: string[];
  secrets?: string[];
  kind?: 'custom' | 'slack';
  [field: string]: unknown;
}

export interface WebhookAnswer {
  id: string;
  version: number;
  secrets: { id: string; preview: string }[];
}

/** Creates a webhook through the admin resolver; fails the test with the API's message otherwise. */
export const createWebhook = async (bed: TestBed, input: WebhookInput): Promise<WebhookAnswer> => {
  const answer = await bed.call<{ webhook: WebhookAnswer }>('webhooks.create', { kind: 'custom', ...input });
  if (!answer.ok) throw new Error(`webhooks.create failed: ${answer.error.code} ${answer.error.message} ${JSON.stringify(answer.error.fields ?? {})}`);
  return answer.data.webhook;
};

export interface EnvelopeBody {
  id: string;
  type: string;
  timestamp: string;
  data: {
    source: string;
    actor: { accountId?: string; displayName?: string };
    object: { type: string; id?: string; key?: string; name?: string; parent?: Json };
    summary: string;
    changes?: { field: string; from?: string; to?: string }[];
    original: Json;
    details?: Json;
    [field: string]: unknown;
  };
}

export interface Delivery {
  /** The `webhook-id` header: one per (event, webhook), the same on every attempt. */
  messageId: string;
  path: string;
  body: EnvelopeBody;
  raw: string;
}

/** Every request a receiver answered, parsed as the JSON envelope custom webhooks get. */
export const deliveriesOf = (receiver: Receiver): Delivery[] =>
  receiver.requests.map((request) => ({
    messageId: String(request.headers['webhook-id'] ?? ''),
    path: request.path,
    body: JSON.parse(request.body) as EnvelopeBody,
    raw: request.body,
  }));

/**
 * What a receiver that de-duplicates on `webhook-id` (as Standard Webhooks asks receivers to) keeps: the
 * first request of each message. Forge delivers queue events at least once, so the same message may
 * arrive twice; a second `webhook-id` for the same (event, webhook) would be a defect, and tests that
 * count "once" count these.
 */
export const uniqueDeliveries = (receiver: Receiver): Delivery[] => {
  const seen = new Set<string>();
  return deliveriesOf(receiver).filter((d) => !seen.has(d.messageId) && Boolean(seen.add(d.messageId)));
};

/** Total invocations of every function except the scheduled poll, which runs every 5 minutes anyway. */
const busyCount = (stats: HostStats): number =>
  Object.entries(stats.invocations)
    .filter(([key]) => key !== 'poll-audit-log')
    .reduce((sum, [, s]) => sum + s.invocations, 0);

/**
 * Moves the manual clock in steps until the app is idle: no queued event pending and no invocation
 * (other than the 5-minute poll) for `quietSteps` steps in a row. 16 quiet minutes cover the longest
 * retry Forge allows (900 s), so a trigger retry waiting in the host is not missed.
 */
export const runUntilQuiet = async (
  host: ForgeHost,
  options: { stepSeconds?: number; quietSteps?: number; maxSteps?: number } = {},
): Promise<{ steps: number; virtualSeconds: number }> => {
  const stepSeconds = options.stepSeconds ?? 60;
  const quietSteps = options.quietSteps ?? Math.ceil(960 / stepSeconds);
  const maxSteps = options.maxSteps ?? 24 * 60;
  let quiet = 0;
  let steps = 0;
  let last = busyCount(host.stats());
  await host.settle();
  while (steps < maxSteps) {
    await host.advance(stepSeconds);
    steps += 1;
    const stats = host.stats();
    const now = busyCount(stats);
    quiet = now === last && stats.queue.pending === 0 ? quiet + 1 : 0;
    last = now;
    if (quiet >= quietSteps) break;
  }
  return { steps, virtualSeconds: steps * stepSeconds };
};

/** Captures console output of the app (its Logger writes one JSON line per entry) while `work` runs. */
export const captureLogs = async <T>(work: () => Promise<T>): Promise<{ result: T; lines: Json[] }> => {
  const lines: Json[] = [];
  const original = { error: console.error, warn: console.warn, log: console.log };
  const keep = (args: unknown[]) => {
    const [first] = args;
    if (typeof first !== 'string') return;
    try {
      const parsed = JSON.parse(first) as unknown;
      if (typeof parsed === 'object' && parsed !== null) lines.push(parsed as Json);
    } catch {
      // not one of the app's structured lines
    }
  };
  console.error = (...args: unknown[]) => keep(args);
  console.warn = (...args: unknown[]) => keep(args);
  console.log = (...args: unknown[]) => keep(args);
  try {
    return { result: await work(), lines };
  } finally {
    console.error = original.error;
    console.warn = original.warn;
    console.log = original.log;
  }
};
