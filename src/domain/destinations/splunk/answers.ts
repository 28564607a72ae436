import { z } from 'zod';
import type { DeliveryOutcome, ReceiverResponse } from '../../delivery/outcome';
import { headerValue } from '../../delivery/outcome';
import { parseRetryAfter } from '../../delivery/retry-after';

/**
 * HEC answers `{"text": "...", "code": n}` (plus `invalid-event-number` for a batch with a bad event).
 * The codes and their HTTP statuses (Splunk's HEC status code table, as reproduced in the SplunkAdmins
 * app's hec_reply_code lookup): 0 Success 200; 1 Token disabled 403; 2 Token is required 401; 3 Invalid
 * authorization 401; 4 Invalid token 403; 5 No data 400; 6 Invalid data format 400; 7 Incorrect index
 * 400. Not confirmed in a stored source, so read with care: 9 Server is busy (503, which the generic
 * rules retry anyway) and 10/11 for a token with indexer acknowledgement (only when the text names a
 * data channel). The body is read, never trusted: anything that is not that shape is left to the
 * generic HTTP rules.
 */
const HecAnswer = z.object({
  text: z.string().max(500).optional(),
  code: z.number().int().min(0).max(1000),
  'invalid-event-number': z.number().int().min(0).optional(),
});
export type HecAnswer = z.infer<typeof HecAnswer>;

export function parseHecAnswer(body: string | undefined): HecAnswer | undefined {
  if (body === undefined || body.length === 0 || body.length > 10_000) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = HecAnswer.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

const WHERE = 'Splunk Web > Settings > Data inputs > HTTP Event Collector';

/** Codes that say the webhook's settings (token, index, token options) are wrong, with what to fix. */
const ENDPOINT_CODES: Readonly<Record<number, string>> = {
  1: `Token disabled: enable the token in ${WHERE}, or enter an enabled token in HEC token.`,
  2: 'Token is required: enter HEC token in the webhook settings.',
  3: 'Invalid authorization: enter HEC token again (only the Token Value, a GUID).',
  4: `Invalid token: Splunk does not know this token. Copy the Token Value from ${WHERE} into HEC token, and check the URL points to the Splunk stack that holds it.`,
  7: `Incorrect index: the index is not among the token's allowed indexes. Fix Index, or add the index to the token in ${WHERE} > Edit.`,
  10: `Data channel is missing: the token has indexer acknowledgement turned on, which this app does not use. Turn off Enable indexer acknowledgement for the token in ${WHERE} > Edit.`,
  11: `Invalid data channel: the token has indexer acknowledgement turned on, which this app does not use. Turn off Enable indexer acknowledgement for the token in ${WHERE} > Edit.`,
};

/** Codes that say these events will never be accepted as they are (no configuration can fix them). */
const MESSAGE_CODES: Readonly<Record<number, string>> = {
  5: 'No data: Splunk received an empty request.',
  6: 'Invalid data format: Splunk could not read the events.',
};

/** Splunk's own reading of an HEC answer, before the generic HTTP rules; undefined leaves it to them. */
export const splunkAnswer = (response: ReceiverResponse): DeliveryOutcome | undefined => {
  const { status } = response;
  if (status >= 200 && status <= 299) return undefined;
  const answer = parseHecAnswer(response.body);
  if (answer === undefined) {
    if (status === 401 || status === 403) {
      return {
        kind: 'permanent',
        errorClass: 'http',
        httpStatus: status,
        message: `HTTP ${status} without a Splunk HEC answer: check HEC token, and that the URL reaches Splunk's HTTP Event Collector (not a proxy's login page).`,
      };
    }
    return undefined;
  }
  const { code } = answer;
  const channelCode = code === 10 || code === 11;
  const endpoint = channelCode && !/channel/i.test(answer.text ?? '') ? undefined : ENDPOINT_CODES[code];
  if (endpoint !== undefined) {
    return { kind: 'permanent', errorClass: 'http', httpStatus: status, failsEndpoint: true, message: `Splunk HEC answered code ${code} (HTTP ${status}), ${endpoint}` };
  }
  const message = MESSAGE_CODES[code];
  if (message !== undefined) {
    const at = answer['invalid-event-number'];
    const which = at === undefined ? '' : ` (event ${at} of the request)`;
    return { kind: 'permanent', errorClass: 'http', httpStatus: status, message: `Splunk HEC answered code ${code} (HTTP ${status}), ${message}${which}` };
  }
  if (code === 9) {
    // Server is busy: Splunk's queues are full. Normally a 503, which the generic rules retry too.
    const retryAfterSeconds = parseRetryAfter(headerValue(response.headers, 'retry-after'), response.now);
    return {
      kind: 'retry',
      errorClass: 'http',
      httpStatus: status,
      message: `Splunk HEC answered code 9 (HTTP ${status}), Server is busy: its indexing queues are full; will retry.`,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    };
  }
  return undefined;
};
