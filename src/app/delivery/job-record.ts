import { z } from 'zod';
import { deliveryJobSchema, messageIdFor, type DeliveryAttempt, type DeliveryJob, type DeliveryMessage, type MessageStatus } from './job';

/**
 * The delivery log's STORED form of a job (`dlog:<jobId>`), version 2. One record per job is written on
 * every round of a job, so its bytes are most of what delivery writes to KVS (Forge counts write units of
 * 10 KB, and writes cost ~20x reads). The in-memory DeliveryJob (job.ts) is unchanged; only this form
 * is compact, and it decodes to exactly the DeliveryJob that was encoded (the admin API is built from
 * that, so it answers the same). What it leaves out is what can be derived:
 *
 * - msgId: messageIdFor(jobId, index) unless stored (`i`);
 * - an attempt's number: its index + 1 unless stored (`n`);
 * - times: milliseconds after the job's createdAt when the ISO text is canonical (else the text);
 * - the request: method, URL and header names and values are stored once per job (`rq`); an attempt
 *   stores only header values that differ from that template, where the expected value of `webhook-id`
 *   is the msgId and of `webhook-timestamp` the attempt's time in seconds (so usually only the
 *   signature); an attempt whose method, URL or header names differ keeps its whole request (`q`);
 * - httpStatus: the response's status unless stored (`c`; null: no httpStatus though a response);
 * - repeated texts (event types, notes, error classes and messages) go in one table (`tb`) by index;
 * - defaults are left out: status and outcome 'delivered', empty response body and headers, false flags.
 *
 * Key names (short on purpose, this form only):
 *   job:      v version, j jobId, w webhookId, wn webhookName, b batchId, x test, c createdAt,
 *             u updatedAt, tb text table, rq request template {m method, u url, h [name, value][]}, m messages
 *   message:  i msgId, e eventId, y eventType (table index), s status, a attempts, n nextAttemptAt, o note
 *   attempt:  n number, t at, o outcome, c httpStatus, d durationMs, k errorClass, x errorMessage,
 *             h header values by template index, q whole request, p response {s status, h headers, b body, tr truncated}
 *
 * Records of the previous version (the DeliveryJob itself) are read as they are: they stay 14 days.
 */
export const JOB_RECORD_VERSION = 2;

const STATUS_CODES = { pending: 'p', delivered: 'd', failed: 'f', skipped: 's' } as const satisfies Record<MessageStatus, string>;
const OUTCOME_CODES = { delivered: 'd', retry: 'r', failed: 'f' } as const satisfies Record<DeliveryAttempt['outcome'], string>;
const invert = <K extends string, V extends string>(map: Record<K, V>): Record<V, K> =>
  Object.fromEntries(Object.entries(map).map(([k, v]) => [v, k])) as Record<V, K>;
const STATUS_OF = invert(STATUS_CODES);
const OUTCOME_OF = invert(OUTCOME_CODES);

const headersSchema = z.record(z.string(), z.string());
const requestSchema = z.object({ method: z.string(), url: z.string(), headers: headersSchema });
/** A time: ms after the job's createdAt, or the text as it was when not a canonical ISO time. */
const timeSchema = z.union([z.number().int(), z.string()]);
const textRef = z.number().int().nonnegative();

const storedAttemptSchema = z.object({
  n: z.number().int().positive().optional(),
  t: timeSchema,
  o: z.enum(['r', 'f']).optional(),
  c: z.number().int().nullable().optional(),
  d: z.number().nonnegative(),
  k: textRef.optional(),
  x: textRef.optional(),
  h: z.record(z.string().regex(/^\d+$/), z.string()).optional(),
  q: requestSchema.optional(),
  p: z
    .object({ s: z.number().int(), h: headersSchema.optional(), b: z.string().optional(), tr: z.literal(1).optional() })
    .optional(),
});
type StoredAttempt = z.infer<typeof storedAttemptSchema>;

const storedMessageSchema = z.object({
  i: z.string().optional(),
  e: z.string(),
  y: textRef,
  s: z.enum(['p', 'f', 's']).optional(),
  a: z.array(storedAttemptSchema).optional(),
  n: timeSchema.optional(),
  o: textRef.optional(),
});
type StoredMessage = z.infer<typeof storedMessageSchema>;

export const storedJobSchema = z.object({
  v: z.literal(JOB_RECORD_VERSION),
  j: z.string(),
  w: z.string(),
  wn: z.string(),
  b: z.string(),
  x: z.literal(1).optional(),
  c: z.string(),
  u: z.string(),
  tb: z.array(z.string()),
  rq: z.object({ m: z.string(), u: z.string(), h: z.array(z.tuple([z.string(), z.string()])) }).optional(),
  m: z.array(storedMessageSchema),
});
export type StoredJobRecord = z.infer<typeof storedJobSchema>;

type Template = { method: string; url: string; names: string[]; values: string[] };

/** The header values an attempt is expected to carry without storing them (see the list above). */
const derivedHeader = (name: string, msgId: string, at: string): string | undefined => {
  if (name === 'webhook-id') return msgId;
  if (name === 'webhook-timestamp') {
    const ms = Date.parse(at);
    return Number.isNaN(ms) ? undefined : String(Math.floor(ms / 1000));
  }
  return undefined;
};

const isCanonicalTime = (text: string): boolean => {
  const ms = Date.parse(text);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === text;
};
const encodeTime = (text: string, baseMs: number | undefined): number | string =>
  baseMs !== undefined && isCanonicalTime(text) ? Date.parse(text) - baseMs : text;
const decodeTime = (value: number | string, baseMs: number): string => (typeof value === 'number' ? new Date(baseMs + value).toISOString() : value);

const sameNames = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((name, i) => name === b[i]);

/** The compact form of a job (see above). Pure: the job is not changed. */
export const encodeJob = (job: DeliveryJob): StoredJobRecord => {
  const baseMs = isCanonicalTime(job.createdAt) ? Date.parse(job.createdAt) : undefined;
  const table: string[] = [];
  const index = new Map<string, number>();
  const ref = (text: string): number => {
    let at = index.get(text);
    if (at === undefined) {
      at = table.push(text) - 1;
      index.set(text, at);
    }
    return at;
  };
  const first = job.messages.flatMap((m) => m.attempts).find((a) => Object.keys(a.request.headers).length > 0);
  const template: Template | undefined = first && {
    method: first.request.method,
    url: first.request.url,
    names: Object.keys(first.request.headers),
    values: Object.values(first.request.headers),
  };

  const encodeAttempt = (attempt: DeliveryAttempt, position: number, msgId: string): StoredAttempt => {
    const out: StoredAttempt = { t: encodeTime(attempt.at, baseMs), d: attempt.durationMs };
    if (attempt.number !== position + 1) out.n = attempt.number;
    if (attempt.outcome !== 'delivered') out.o = OUTCOME_CODES[attempt.outcome];
    const responseStatus = attempt.response?.status;
    if (attempt.httpStatus !== responseStatus) out.c = attempt.httpStatus ?? null;
    if (attempt.errorClass !== undefined) out.k = ref(attempt.errorClass);
    if (attempt.errorMessage !== undefined) out.x = ref(attempt.errorMessage);
    const { request } = attempt;
    const names = Object.keys(request.headers);
    if (template && request.method === template.method && request.url === template.url && sameNames(names, template.names)) {
      const overrides: Record<string, string> = {};
      names.forEach((name, i) => {
        const value = request.headers[name] as string;
        if (value !== (derivedHeader(name, msgId, attempt.at) ?? template.values[i])) overrides[String(i)] = value;
      });
      if (Object.keys(overrides).length > 0) out.h = overrides;
    } else {
      out.q = { method: request.method, url: request.url, headers: request.headers };
    }
    if (attempt.response) {
      const { status, headers, body, truncated } = attempt.response;
      out.p = { s: status, ...(Object.keys(headers).length > 0 ? { h: headers } : {}), ...(body !== '' ? { b: body } : {}), ...(truncated ? { tr: 1 as const } : {}) };
    }
    return out;
  };

  const messages = job.messages.map((message, position): StoredMessage => {
    const out: StoredMessage = { e: message.eventId, y: ref(message.eventType) };
    if (message.msgId !== messageIdFor(job.jobId, position)) out.i = message.msgId;
    if (message.status !== 'delivered') out.s = STATUS_CODES[message.status];
    if (message.attempts.length > 0) out.a = message.attempts.map((attempt, i) => encodeAttempt(attempt, i, message.msgId));
    if (message.nextAttemptAt !== undefined) out.n = encodeTime(message.nextAttemptAt, baseMs);
    if (message.note !== undefined) out.o = ref(message.note);
    return out;
  });

  return {
    v: JOB_RECORD_VERSION,
    j: job.jobId,
    w: job.webhookId,
    wn: job.webhookName,
    b: job.batchId,
    ...(job.test ? { x: 1 as const } : {}),
    c: job.createdAt,
    u: job.updatedAt,
    tb: table,
    ...(template ? { rq: { m: template.method, u: template.url, h: template.names.map((name, i): [string, string] => [name, template.values[i] as string]) } } : {}),
    m: messages,
  };
};

class CorruptRecord extends Error {}

const decodeJob = (stored: StoredJobRecord): DeliveryJob => {
  const baseMs = Date.parse(stored.c);
  const text = (at: number): string => {
    const value = stored.tb[at];
    if (value === undefined) throw new CorruptRecord(`text ${at} is not in the table`);
    return value;
  };
  const template = stored.rq;

  const decodeAttempt = (a: StoredAttempt, position: number, msgId: string): DeliveryAttempt => {
    const at = decodeTime(a.t, baseMs);
    let request: DeliveryAttempt['request'];
    if (a.q) request = a.q;
    else {
      if (!template) throw new CorruptRecord('an attempt refers to a missing request template');
      const headers: Record<string, string> = {};
      template.h.forEach(([name, value], i) => {
        headers[name] = a.h?.[String(i)] ?? derivedHeader(name, msgId, at) ?? value;
      });
      request = { method: template.m, url: template.u, headers };
    }
    const httpStatus = a.c === undefined ? a.p?.s : (a.c ?? undefined);
    // The key order of the previous version's schema, so the admin API's JSON reads the same.
    return {
      number: a.n ?? position + 1,
      at,
      outcome: a.o ? OUTCOME_OF[a.o] : 'delivered',
      ...(httpStatus !== undefined ? { httpStatus } : {}),
      durationMs: a.d,
      ...(a.k !== undefined ? { errorClass: text(a.k) } : {}),
      ...(a.x !== undefined ? { errorMessage: text(a.x) } : {}),
      request,
      ...(a.p ? { response: { status: a.p.s, headers: a.p.h ?? {}, body: a.p.b ?? '', truncated: a.p.tr === 1 } } : {}),
    };
  };

  return {
    jobId: stored.j,
    webhookId: stored.w,
    webhookName: stored.wn,
    batchId: stored.b,
    test: stored.x === 1,
    createdAt: stored.c,
    updatedAt: stored.u,
    messages: stored.m.map((m, position): DeliveryMessage => {
      const msgId = m.i ?? messageIdFor(stored.j, position);
      return {
        msgId,
        eventId: m.e,
        eventType: text(m.y),
        status: m.s ? STATUS_OF[m.s] : 'delivered',
        attempts: (m.a ?? []).map((a, i) => decodeAttempt(a, i, msgId)),
        ...(m.n !== undefined ? { nextAttemptAt: decodeTime(m.n, baseMs) } : {}),
        ...(m.o !== undefined ? { note: text(m.o) } : {}),
      };
    }),
  };
};

/**
 * A delivery-log record as read from KVS (a boundary: checked, never trusted), in either form: this
 * version's compact one, or the previous version's DeliveryJob. undefined when it is neither.
 */
export const readJobRecord = (value: unknown): DeliveryJob | undefined => {
  const stored = storedJobSchema.safeParse(value);
  if (stored.success) {
    try {
      return decodeJob(stored.data);
    } catch (error) {
      if (error instanceof CorruptRecord) return undefined;
      throw error;
    }
  }
  const previous = deliveryJobSchema.safeParse(value);
  return previous.success ? previous.data : undefined;
};
