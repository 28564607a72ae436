import { z } from 'zod';
import { classifyResponse, misconfigured, type DeliveryOutcome, type ReceiverResponse } from '../../delivery/outcome';
import type { AnswerOutcome } from '../contract';

/**
 * Reading Elasticsearch's `_bulk` answers. The request asks for a filtered answer
 * (`filter_path=errors,items.*.status,items.*.error.type,items.*.error.reason`), so a 100-event answer
 * is a few kilobytes, not a hundred: `{"errors":true,"items":[{"create":{"status":201}},
 * {"create":{"status":400,"error":{"type":"mapper_parsing_exception","reason":"..."}}}]}`.
 */
const ItemResultSchema = z.object({
  status: z.number().int(),
  error: z.object({ type: z.string().optional(), reason: z.string().optional() }).optional(),
});
const BulkAnswerSchema = z.object({
  errors: z.boolean(),
  items: z.array(z.record(z.string(), ItemResultSchema)).optional(),
});
const ErrorAnswerSchema = z.object({
  error: z.union([z.string(), z.object({ type: z.string().optional(), reason: z.string().optional() })]),
});

/** Longest reason quoted in the delivery log. */
const REASON_MAX_CHARS = 200;

/**
 * An error reason fit for the delivery log: Elasticsearch quotes the refused value after "Preview of
 * field's value:" (document content, cut off here), and reasons can be long.
 */
export function trimReason(reason: string | undefined): string | undefined {
  if (reason === undefined) return undefined;
  let text = reason.replace(/\s+/g, ' ').trim();
  const preview = text.search(/preview of field's value/i);
  if (preview >= 0) text = text.slice(0, preview).trim();
  if (text.length > REASON_MAX_CHARS) text = `${text.slice(0, REASON_MAX_CHARS - 1)}…`;
  return text === '' ? undefined : text;
}

const describe = (type: string | undefined, reason: string | undefined): string => {
  const trimmed = trimReason(reason);
  return [type, trimmed].filter((part) => part !== undefined && part !== '').join(': ');
};

const retryWhole = (status: number, why: string): AnswerOutcome => ({
  whole: { kind: 'retry', errorClass: 'http', httpStatus: status, message: `Elasticsearch answered HTTP ${status} but ${why}; the whole request is sent again.` },
});

/** One item of a bulk answer whose `errors` is true. */
export function itemOutcome(status: number, error: { type?: string; reason?: string } | undefined): DeliveryOutcome {
  if (status >= 200 && status <= 299) return { kind: 'delivered', httpStatus: status };
  // create with an _id that exists: this event was indexed by an earlier attempt.
  if (status === 409) return { kind: 'delivered', httpStatus: status };
  const detail = describe(error?.type, error?.reason);
  const said = detail === '' ? `HTTP ${status}` : `HTTP ${status} ${detail}`;
  if (status === 429 || status >= 500) {
    return { kind: 'retry', errorClass: 'http', httpStatus: status, message: `Elasticsearch could not index this event now (${said}).` };
  }
  if (status === 401 || status === 403) {
    return misconfigured(status, `Elasticsearch refused to write to the data stream (${said}): give the API key the create_doc and auto_configure privileges on the data stream.`);
  }
  if (status === 404 || /pipeline with id \[.*\] does not exist/i.test(error?.reason ?? '')) {
    return misconfigured(status, `Elasticsearch could not find where to write (${said}): check the Data stream and Ingest pipeline settings, and that an index template with data streams enabled matches the data stream.`);
  }
  return { kind: 'permanent', errorClass: 'http', httpStatus: status, message: `Elasticsearch refused this event (${said}).` };
}

function bulkOutcome(response: ReceiverResponse, items: number): AnswerOutcome {
  const { status } = response;
  let json: unknown;
  try {
    json = JSON.parse(response.body ?? '');
  } catch {
    return retryWhole(status, 'its answer is not the bulk API\'s JSON');
  }
  const parsed = BulkAnswerSchema.safeParse(json);
  if (!parsed.success) return retryWhole(status, 'its answer is not the bulk API\'s JSON');
  if (!parsed.data.errors) return { whole: { kind: 'delivered', httpStatus: status } };
  const results = parsed.data.items ?? [];
  if (results.length !== items) return retryWhole(status, `its answer lists ${results.length} results for the ${items} events sent`);
  const outcomes: DeliveryOutcome[] = [];
  for (const result of results) {
    const entries = Object.values(result);
    const [only] = entries;
    if (entries.length !== 1 || only === undefined) return retryWhole(status, 'an item of its answer is not one action result');
    outcomes.push(itemOutcome(only.status, only.error));
  }
  return { perItem: outcomes };
}

/** The `{"error":{"type","reason"}}` of a failed request, trimmed; undefined when the body is not that. */
function requestError(body: string | undefined): string | undefined {
  try {
    const parsed = ErrorAnswerSchema.safeParse(JSON.parse(body ?? ''));
    if (!parsed.success) return undefined;
    const { error } = parsed.data;
    const detail = typeof error === 'string' ? trimReason(error) : describe(error.type, error.reason);
    return detail === '' ? undefined : detail;
  } catch {
    return undefined;
  }
}

const wholeRequestAnswer = (response: ReceiverResponse): DeliveryOutcome | undefined => {
  const { status } = response;
  const detail = requestError(response.body);
  const said = detail === undefined ? `HTTP ${status}` : `HTTP ${status}, ${detail}`;
  if (status === 401) {
    return misconfigured(status, `Elasticsearch refused the API key (${said}): enter the Encoded value of an active API key in API key.`);
  }
  if (status === 403) {
    return misconfigured(status, `Elasticsearch refused the request (${said}): give the API key the create_doc and auto_configure privileges on the data stream.`);
  }
  if (status === 413) {
    return {
      kind: 'permanent',
      errorClass: 'http',
      httpStatus: status,
      message: `Elasticsearch refused the request size (${said}): lower Events per request, or raise http.max_content_length on the cluster.`,
    };
  }
  if (status === 400 || status === 404) {
    const pipeline = /pipeline with id \[.*\] does not exist/i.test(response.body ?? '');
    return {
      kind: 'permanent',
      errorClass: 'http',
      httpStatus: status,
      ...(pipeline ? { failsEndpoint: true as const } : {}),
      message: pipeline
        ? `Elasticsearch has no such ingest pipeline (${said}): fix Ingest pipeline or leave it empty.`
        : `Elasticsearch refused the request (${said})${status === 404 ? ': check that the URL is the Elasticsearch endpoint' : ''}.`,
    };
  }
  return undefined;
};

/**
 * What a `_bulk` answer means for the `items` events sent: 200 with `errors: false` delivers all; 200
 * with `errors: true` is read item by item (in the order sent); an answer that cannot be read or does
 * not line up with the request is retried whole (the `_id`s make that harmless). Other statuses: 401
 * and 403 mean the key or its privileges are wrong (the webhook fails at once), 413 the size, 429 and
 * 5xx are retried by the generic rules.
 */
export function classifyBulkAnswer(response: ReceiverResponse, items: number): AnswerOutcome {
  if (response.status >= 200 && response.status <= 299) return bulkOutcome(response, items);
  return { whole: classifyResponse(response, wholeRequestAnswer) };
}
