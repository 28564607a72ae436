import { captureResponse, classifyNetworkError, type DeliveryOutcome, type FailedOutcome } from '../../domain/delivery';
import { DELIVERED_BODY_MAX_BYTES } from '../../domain/delivery/response-capture';
import { compileCredentials, scrubCredentials, type CompiledCredentials } from '../../domain/delivery/scrub-credentials';
import type { AnswerOutcome, BatchItem, DestinationModule, RenderContext } from '../../domain/destinations/contract';
import { destinationModule } from '../../domain/destinations/registry';
import { SigningError, buildSignatureHeaders, redactHeaders } from '../../domain/signing';
import type { HttpSender, OutboundResult } from '../ports';
import type { PipelineEvent } from '../pipeline/audit-event';
import { templatedBody } from '../pipeline/render-body';
import { credentialValues } from './credentials';
import type { DeliveryAttempt } from './job';
import type { BearerTokens } from './oauth-tokens';
import type { DeliveryTarget } from './target';

/** The app and its version (package.json's; test/integration/delivery-log.test.ts checks they agree). */
export const USER_AGENT = 'AuditWebhooksForJira/0.1.0 (+Atlassian Forge)';

export interface RequestResult {
  /** The attempt as the delivery log records it for every event of the request. */
  attempt: DeliveryAttempt;
  /** What the answer means for the request as a whole (health, and the log's attempt outcome). */
  outcome: DeliveryOutcome;
  /** What it means for each event, in the order sent (the same outcome for all unless the API reports per item). */
  itemOutcomes: DeliveryOutcome[];
  /** The request as sent, with credentials redacted: what the admin page shows for a test send. */
  sentBody: string;
}

export interface RequestInput {
  target: DeliveryTarget;
  /** The events of this request with their message ids (one for kinds that do not batch). */
  items: readonly BatchItem[];
  /** `webhook-id`: the message id of a lone event, the batch's id for several. Stable across retries of the same items. */
  requestId: string;
  attemptNumber: number;
  now: Date;
  /** Bearer tokens for kinds that authenticate with OAuth 2.0 client credentials. */
  tokens?: BearerTokens;
  /** The site's links for the body (issue links, the delivery log), when known. */
  context?: RenderContext;
  /** The target's credentials compiled for scrubbing, when the caller sends many requests to one target. */
  credentials?: CompiledCredentials;
  /**
   * Keep only the status and the first DELIVERED_BODY_MAX_BYTES of the body of a delivered (2xx) answer:
   * a success needs no more to be shown, and the delivery log writes it for every message. Failures
   * keep their whole capture. Test sends keep it all (an admin reads that answer at once).
   */
  summariseDelivered?: boolean;
}

/** The request of one attempt, before authentication: body, URL and headers as the kind and the admin set them. */
const buildRequest = (kind: DestinationModule, input: RequestInput, templated?: string): { url: string; body: string; headers: Record<string, string> } => {
  const { target, items, requestId, now } = input;
  // The templated body, when the webhook has a template, is what is signed below: the signature covers the bytes sent.
  const body = templated ?? kind.render(items, target.settings, input.context ?? {});
  const timestamp = Math.floor(now.getTime() / 1000);
  // A kind without signing (Slack, the SIEMs: their credential is a URL token or an API key) still gets
  // webhook-id and webhook-timestamp: every request carries its one id on every attempt.
  const signature = kind.common.signing
    ? buildSignatureHeaders({
        mode: target.signing.mode,
        ...(target.signing.header ? { header: target.signing.header } : {}),
        msgId: requestId,
        timestamp,
        body,
        secrets: target.secrets,
      })
    : buildSignatureHeaders({ mode: 'standard', msgId: requestId, timestamp, body, secrets: [] });
  const auth = kind.auth(target.settings);
  const headers: Record<string, string> = {
    ...(kind.common.headers ? Object.fromEntries(target.headers.map((h) => [h.name, h.value])) : {}),
    'content-type': kind.contentType,
    'user-agent': USER_AGENT,
    ...(kind.common.authorization && target.authorization ? { authorization: target.authorization } : {}),
    ...(auth.type === 'headers' ? lowerCaseKeys(auth.headers) : {}),
    ...signature,
  };
  return { url: kind.requestUrl(target.url, target.settings), body, headers };
};

const lowerCaseKeys = (headers: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

/** The delivery-log outcome of an attempt: a failure the schedule may still retry is 'retry'. */
const loggedOutcome = (outcome: DeliveryOutcome): DeliveryAttempt['outcome'] =>
  outcome.kind === 'delivered' ? 'delivered' : outcome.kind === 'retry' ? 'retry' : 'failed';

/** The request's overall outcome from per-item ones: delivered if any item was, else the first failure. */
const overall = (answer: AnswerOutcome): { outcome: DeliveryOutcome; items: (count: number) => DeliveryOutcome[] } => {
  if ('whole' in answer) return { outcome: answer.whole, items: (count) => Array.from({ length: count }, () => answer.whole) };
  const delivered = answer.perItem.find((outcome) => outcome.kind === 'delivered');
  const first = answer.perItem[0];
  return { outcome: delivered ?? first ?? { kind: 'retry', errorClass: 'other', message: 'The receiver answered for none of the events.' }, items: () => answer.perItem };
};

/**
 * Builds, authenticates, signs and sends one request carrying one or several events, and describes it
 * for the delivery log. An OAuth 2.0 token the receiver answers 401 to is refreshed once and the request
 * sent again (one attempt), so an expired or revoked token costs no retry.
 */
export const sendRequest = async (http: HttpSender, input: RequestInput): Promise<RequestResult> => {
  const { target, items, attemptNumber, now } = input;
  const kind = destinationModule(target.kind);
  const describe = (outcome: DeliveryOutcome, itemOutcomes: DeliveryOutcome[], sentBody: string, details: Pick<DeliveryAttempt, 'durationMs' | 'request'> & Partial<DeliveryAttempt>): RequestResult => ({
    outcome,
    itemOutcomes,
    sentBody,
    attempt: {
      number: attemptNumber,
      at: now.toISOString(),
      outcome: loggedOutcome(outcome),
      ...(outcome.kind === 'delivered' ? {} : { errorClass: outcome.errorClass, errorMessage: outcome.message }),
      ...details,
    },
  });
  const everyItem = (outcome: DeliveryOutcome): DeliveryOutcome[] => items.map(() => outcome);
  let request: { url: string; body: string; headers: Record<string, string> };
  const templated = await templatedBody(kind, target.template, items);
  if (templated && !templated.ok) {
    // The template passed the samples when saved but not this event: retrying would fail the same way.
    const outcome: DeliveryOutcome = { kind: 'permanent', errorClass: 'other', message: `The payload template failed for this event: ${templated.problem.message} Fix the template (Payload template); later events use the fixed one.` };
    return describe(outcome, everyItem(outcome), '', { durationMs: 0, request: { method: target.method, url: target.displayUrl, headers: {} } });
  }
  try {
    request = buildRequest(kind, input, templated?.body);
  } catch (error) {
    // A configuration the signer refuses (or a body that cannot be rendered) fails these messages for
    // good, with a message that says why, instead of throwing out of the consumer for Forge to retry blindly.
    const message = `The request could not be built: ${error instanceof SigningError ? error.message : 'internal error'}`;
    const outcome: DeliveryOutcome = { kind: 'permanent', errorClass: 'other', message };
    return describe(outcome, everyItem(outcome), '', { durationMs: 0, request: { method: target.method, url: target.displayUrl, headers: {} } });
  }
  const method = kind.common.method ? target.method : 'POST';
  const auth = kind.auth(target.settings);
  const tokensUsed: string[] = [];
  let result: OutboundResult;
  let durationMs = 0;
  if (auth.type === 'oauth-client-credentials' || auth.type === 'oauth-authorization-code') {
    const tokens = input.tokens;
    const getToken = (rejected?: string) => {
      const options = rejected === undefined ? undefined : { rejected };
      if (auth.type === 'oauth-client-credentials') return tokens?.token(auth.client, options);
      return tokens?.codeToken?.(target.id, auth.client, options);
    };
    const send = async (rejected?: string): Promise<OutboundResult | { failed: FailedOutcome }> => {
      const token = await getToken(rejected);
      if (!token) return { failed: { kind: 'permanent', errorClass: 'other', message: 'OAuth 2.0 tokens are not available to this function.' } };
      if (!token.ok) return { failed: token.outcome };
      tokensUsed.push(token.token);
      request.headers.authorization = `Bearer ${token.token}`;
      return http.send({ url: request.url, method, headers: request.headers, body: request.body, timeoutMs: target.timeoutSeconds * 1000 });
    };
    let sent = await send();
    if (!('failed' in sent) && sent.kind === 'response' && sent.status === 401) {
      durationMs += sent.durationMs;
      sent = await send(tokensUsed[tokensUsed.length - 1]);
    }
    if ('failed' in sent) {
      const outcome = { ...sent.failed, message: `Getting an OAuth 2.0 access token failed: ${sent.failed.message}` };
      return describe(outcome, everyItem(outcome), request.body, { durationMs, request: { method, url: target.displayUrl, headers: redactHeaders(request.headers, []) } });
    }
    result = sent;
  } else {
    result = await http.send({ url: request.url, method, headers: request.headers, body: request.body, timeoutMs: target.timeoutSeconds * 1000 });
  }
  durationMs += result.durationMs;
  const logged = {
    method,
    url: target.displayUrl,
    headers: redactHeaders(request.headers, target.headers.filter((h) => h.sensitive).map((h) => h.name)),
  };
  if (result.kind === 'error') {
    const outcome = classifyNetworkError(result.error);
    return describe(outcome, everyItem(outcome), request.body, { durationMs, request: logged });
  }
  const answer = overall(kind.classify({ status: result.status, headers: result.headers, body: result.body, now }, items.length));
  // The receiver's answer is shown to admins and kept 14 days: a receiver that echoes the request (whole,
  // in part, encoded) must not put our credentials in front of them. Outcome messages can quote the
  // answer (Slack's error code, Elastic's error reason), so they are scrubbed too.
  const credentials = tokensUsed.length > 0 || !input.credentials ? compileCredentials(credentialValues(target, tokensUsed)) : input.credentials;
  const scrub = (outcome: DeliveryOutcome): DeliveryOutcome => (outcome.kind === 'delivered' ? outcome : { ...outcome, message: scrubCredentials(outcome.message, credentials) });
  const outcome = scrub(answer.outcome);
  const itemOutcomes = answer.items(items.length).map(scrub);
  // Cut by captureResponse like any answer (cut first, then scrub), so no credential prefix is left at the cut.
  const response =
    outcome.kind === 'delivered' && input.summariseDelivered && itemOutcomes.every((item) => item.kind === 'delivered')
      ? captureResponse({ ...result, headers: {} }, credentials, DELIVERED_BODY_MAX_BYTES)
      : captureResponse(result, credentials);
  return describe(outcome, itemOutcomes, request.body, { httpStatus: result.status, durationMs, request: logged, response });
};

/** One event in its own request: the request's input with the event and its message id in place of items. */
export type AttemptInput = Omit<RequestInput, 'items' | 'requestId'> & { event: PipelineEvent; msgId: string };

export type AttemptResult = Omit<RequestResult, 'itemOutcomes'>;

/** One event in its own request (test sends, and every kind that does not batch). */
export const sendAttempt = async (http: HttpSender, input: AttemptInput): Promise<AttemptResult> => {
  const { event, msgId, ...rest } = input;
  const { itemOutcomes: _single, ...result } = await sendRequest(http, { ...rest, items: [{ msgId, event }], requestId: msgId });
  return result;
};
