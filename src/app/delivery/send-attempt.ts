import { captureResponse, classifyNetworkError, classifyResponse, type DeliveryOutcome } from '../../domain/delivery';
import { DELIVERED_BODY_MAX_BYTES } from '../../domain/delivery/response-capture';
import { compileCredentials, scrubCredentials, type CompiledCredentials } from '../../domain/delivery/scrub-credentials';
import { SigningError, buildSignatureHeaders, redactHeaders } from '../../domain/signing';
import type { HttpSender } from '../ports';
import type { PipelineEvent } from '../pipeline/audit-event';
import { destinationModule } from '../../domain/destinations';
import { credentialValues } from './credentials';
import type { DeliveryAttempt } from './job';
import type { DeliveryTarget } from './target';

/** The app and its version (package.json's; test/integration/delivery-log.test.ts checks they agree). */
export const USER_AGENT = 'AuditWebhooksForJira/0.1.0 (+Atlassian Forge)';

export interface AttemptResult {
  attempt: DeliveryAttempt;
  outcome: DeliveryOutcome;
  /** The request as sent, with credentials redacted: what the admin page shows for a test send. */
  sentBody: string;
}

export interface AttemptInput {
  target: DeliveryTarget;
  event: PipelineEvent;
  msgId: string;
  attemptNumber: number;
  now: Date;
  renderBody: (kind: DeliveryTarget['kind'], event: PipelineEvent) => string;
  /** The target's credentials compiled for scrubbing, when the caller sends many attempts to one target. */
  credentials?: CompiledCredentials;
  /**
   * Keep only the status and the first DELIVERED_BODY_MAX_BYTES of the body of a delivered (2xx) answer:
   * a success needs no more to be shown, and the delivery log writes it for every message. Failures
   * keep their whole capture. Test sends keep it all (an admin reads that answer at once).
   */
  summariseDelivered?: boolean;
}

const buildRequest = (input: AttemptInput): { body: string; headers: Record<string, string> } => {
  const { target, event, msgId, now } = input;
  const body = input.renderBody(target.kind, event);
  const custom = Object.fromEntries(target.headers.map((h) => [h.name, h.value]));
  const timestamp = Math.floor(now.getTime() / 1000);
  // Slack takes no signature (its URL is the credential) but still gets webhook-id and webhook-timestamp:
  // every message carries its one id on every attempt, whatever the destination.
  const signature =
    target.kind === 'slack'
      ? buildSignatureHeaders({ mode: 'standard', msgId, timestamp, body, secrets: [] })
      : buildSignatureHeaders({
          mode: target.signing.mode,
          ...(target.signing.header ? { header: target.signing.header } : {}),
          msgId,
          timestamp,
          body,
          secrets: target.secrets,
        });
  const headers: Record<string, string> = {
    ...custom,
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    ...(target.authorization ? { authorization: target.authorization } : {}),
    ...signature,
  };
  return { body, headers };
};

/** The delivery-log outcome of an attempt: a failure the schedule may still retry is 'retry'. */
const loggedOutcome = (outcome: DeliveryOutcome): DeliveryAttempt['outcome'] =>
  outcome.kind === 'delivered' ? 'delivered' : outcome.kind === 'retry' ? 'retry' : 'failed';

/** Builds, signs and sends one attempt of one message, and describes it for the delivery log. */
export const sendAttempt = async (http: HttpSender, input: AttemptInput): Promise<AttemptResult> => {
  const { target, attemptNumber, now } = input;
  const describe = (outcome: DeliveryOutcome, sentBody: string, details: Pick<DeliveryAttempt, 'durationMs' | 'request'> & Partial<DeliveryAttempt>): AttemptResult => ({
    outcome,
    sentBody,
    attempt: {
      number: attemptNumber,
      at: now.toISOString(),
      outcome: loggedOutcome(outcome),
      ...(outcome.kind === 'delivered' ? {} : { errorClass: outcome.errorClass, errorMessage: outcome.message }),
      ...details,
    },
  });
  let body: string;
  let headers: Record<string, string>;
  try {
    ({ body, headers } = buildRequest(input));
  } catch (error) {
    // A configuration the signer refuses (or a body that cannot be rendered) fails this message for
    // good, with a message that says why, instead of throwing out of the consumer for Forge to retry blindly.
    const message = `The request could not be built: ${error instanceof SigningError ? error.message : 'internal error'}`;
    return describe({ kind: 'permanent', errorClass: 'other', message }, '', {
      durationMs: 0,
      request: { method: target.method, url: target.displayUrl, headers: {} },
    });
  }
  const result = await http.send({ url: target.url, method: target.method, headers, body, timeoutMs: target.timeoutSeconds * 1000 });
  const request = {
    method: target.method,
    url: target.displayUrl,
    headers: redactHeaders(headers, target.headers.filter((h) => h.sensitive).map((h) => h.name)),
  };
  if (result.kind === 'error') return describe(classifyNetworkError(result.error), body, { durationMs: result.durationMs, request });
  const answer = destinationModule(target.kind).classify({ status: result.status, headers: result.headers, body: result.body, now }, 1);
  const classified = 'whole' in answer ? answer.whole : (answer.perItem[0] ?? classifyResponse({ status: result.status, now }));
  // The receiver's answer is shown to admins and kept 14 days: a receiver that echoes the request (whole,
  // in part, encoded) must not put our credentials in front of them. The outcome message can quote the
  // answer (Slack's error code), so it is scrubbed too.
  const credentials = input.credentials ?? compileCredentials(credentialValues(target));
  const outcome: DeliveryOutcome = classified.kind === 'delivered' ? classified : { ...classified, message: scrubCredentials(classified.message, credentials) };
  // Cut by captureResponse like any answer (cut first, then scrub), so no credential prefix is left at the cut.
  const response =
    classified.kind === 'delivered' && input.summariseDelivered
      ? captureResponse({ ...result, headers: {} }, credentials, DELIVERED_BODY_MAX_BYTES)
      : captureResponse(result, credentials);
  return describe(outcome, body, { httpStatus: result.status, durationMs: result.durationMs, request, response });
};
