import { ApiFailure, type TestWebhookResult } from '../../contract';
import type { RenderContext } from '../../domain/destinations/contract';
import { UnknownDestinationError } from '../../domain/destinations/registry';
import { jobIdFor, messageIdFor, type DeliveryJob } from '../delivery/job';
import { encodeJob } from '../delivery/job-record';
import { compileCredentials, scrubCredentials } from '../../domain/delivery/scrub-credentials';
import { credentialValues } from '../delivery/credentials';
import type { BearerTokens } from '../delivery/oauth-tokens';
import { sendAttempt } from '../delivery/send-attempt';
import type { DeliveryTarget, DeliveryTargets } from '../delivery/target';
import type { PipelineEvent } from '../pipeline/audit-event';
import { RETENTION_SECONDS, deliveryLogKey } from '../pipeline/keys';
import type { Clock, HttpSender, IdSource, KeyValueStore } from '../ports';

export interface TestSendDeps {
  store: KeyValueStore;
  clock: Clock;
  ids: IdSource;
  http: HttpSender;
  targets: DeliveryTargets;
  tokens?: BearerTokens;
  site?: { context(): Promise<RenderContext> };
}

export const TEST_EVENT_TYPE = 'app.webhook.test';

const sampleEvent = (target: DeliveryTarget, actorAccountId: string, now: Date, id: string): PipelineEvent => ({
  id,
  type: TEST_EVENT_TYPE,
  timestamp: now.toISOString(),
  data: {
    source: 'app',
    summary: `Test event for webhook "${target.name}" from Audit Webhooks for Jira`,
    actor: { accountId: actorAccountId },
    object: { type: 'webhook', id: target.id, name: target.name },
    test: true,
  },
});

/**
 * Sends one sample event now, once, with the webhook's real URL, headers and signatures, and answers
 * with the request as sent (credentials redacted) and the receiver's answer. Recorded in the delivery
 * log as a test; never retried.
 */
export const sendTestEvent = async (deps: TestSendDeps, webhookId: string, actorAccountId: string): Promise<TestWebhookResult> => {
  let target: DeliveryTarget | undefined;
  try {
    target = await deps.targets.get(webhookId);
  } catch (error) {
    if (!(error instanceof UnknownDestinationError)) throw error;
    throw new ApiFailure('VALIDATION', `${error.message} Update the app to the version that created this webhook, or delete it.`, { id: error.message });
  }
  if (!target) throw new ApiFailure('NOT_FOUND', 'No webhook with this id.');
  const now = deps.clock.now();
  const jobId = jobIdFor(now.getTime(), deps.ids.id('test'), webhookId, 0);
  const msgId = messageIdFor(jobId, 0);
  const event = sampleEvent(target, actorAccountId, now, deps.ids.id('evt_test'));
  const { attempt, outcome, sentBody } = await sendAttempt(deps.http, { target, event, msgId, attemptNumber: 1, now, ...(deps.tokens ? { tokens: deps.tokens } : {}), context: deps.site ? await deps.site.context() : {} });
  attempt.outcome = outcome.kind === 'delivered' ? 'delivered' : 'failed';
  const job: DeliveryJob = {
    jobId,
    webhookId,
    webhookName: target.name,
    batchId: 'test',
    test: true,
    createdAt: now.toISOString(),
    updatedAt: deps.clock.now().toISOString(),
    messages: [{ msgId, eventId: event.id, eventType: event.type, status: outcome.kind === 'delivered' ? 'delivered' : 'failed', attempts: [attempt] }],
  };
  await deps.store.set(deliveryLogKey(jobId), encodeJob(job), { ttlSeconds: RETENTION_SECONDS });
  return {
    deliveryId: msgId,
    // The body shown back to the admin is scrubbed like a logged answer: a kind may carry its credential in
    // the body (PagerDuty's routing key), and no answer of the admin API shows a credential.
    request: { ...attempt.request, method: target.method, body: scrubCredentials(sentBody, compileCredentials(credentialValues(target))) },
    ...(attempt.response ? { response: { ...attempt.response, durationMs: attempt.durationMs } } : {}),
    ...(outcome.kind === 'delivered' ? {} : { error: { class: outcome.errorClass, message: outcome.message } }),
  };
};
