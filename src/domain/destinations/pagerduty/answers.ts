import { z } from 'zod';
import { misconfigured, type DeliveryOutcome, type ReceiverResponse } from '../../delivery/outcome';

/**
 * The Events API v2 error answer (PagerDuty's events-v2 OpenAPI document, the Error response:
 * `{status, message, errors[]}`), e.g. HTTP 400 `{"status":"invalid event","message":"Event object is
 * invalid","errors":["Length of 'routing_key' is incorrect (should be 32 characters)"]}`. Read, never
 * trusted: anything else is left to the generic HTTP rules.
 */
const EventsError = z.object({
  status: z.string().max(500),
  message: z.string().max(2_000).optional(),
  errors: z.array(z.string().max(2_000)).max(100).optional(),
});
export type EventsError = z.infer<typeof EventsError>;

export function parseEventsError(body: string | undefined): EventsError | undefined {
  if (body === undefined || body.length === 0 || body.length > 20_000) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = EventsError.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** "invalid event: Event object is invalid (Length of 'routing_key' is incorrect ...)", each part cut short. */
const describe = (answer: EventsError): string => {
  const cut = (text: string): string => (text.length > 300 ? `${text.slice(0, 300)}…` : text);
  const errors = (answer.errors ?? []).slice(0, 5).map(cut);
  return `${cut(answer.status)}${answer.message ? `: ${cut(answer.message)}` : ''}${errors.length > 0 ? ` (${errors.join('; ')})` : ''}`;
};

/** PagerDuty names the routing key (or integration key) when it is malformed, unknown or of another region. */
const ABOUT_THE_KEY = /routing[_ ]?key|integration[_ ]?key|service[_ ]?key/i;

/**
 * PagerDuty's own reading of an answer before the generic rules. A 400 whose errors are about the routing
 * key means Integration key (or the region) is wrong: no event will be accepted until an admin fixes it,
 * so the webhook turns failing at once. Another 400 is this event refused: failed for good, the webhook
 * stays healthy. 202, 429 (Retry-After when sent, else the usual schedule) and 5xx are left to the
 * generic rules, as PagerDuty's response table says (202 accepted; 429 and 5xx: retry after some time).
 */
export const pagerdutyAnswer = (response: ReceiverResponse): DeliveryOutcome | undefined => {
  const { status } = response;
  if (status !== 400) return undefined;
  const answer = parseEventsError(response.body);
  if (answer === undefined) return undefined;
  const said = describe(answer);
  if ([answer.message ?? '', ...(answer.errors ?? [])].some((text) => ABOUT_THE_KEY.test(text))) {
    return misconfigured(status, `PagerDuty refused the integration key (HTTP 400, ${said}): check Integration key (the 32-character key of the service's Events API V2 integration, not a REST API key) and that PagerDuty region is your account's region.`);
  }
  return { kind: 'permanent', errorClass: 'http', httpStatus: status, message: `PagerDuty refused the event (HTTP 400, ${said}).` };
};
