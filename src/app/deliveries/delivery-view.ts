import type { DeliveryView } from '../../contract';
import { templatedBody } from '../pipeline/render-body';
import { compileCredentials, scrubCredentials } from '../../domain/delivery/scrub-credentials';
import type { RenderContext } from '../../domain/destinations/contract';
import { destinationModule } from '../../domain/destinations/registry';
import { credentialValues } from '../delivery/credentials';
import type { DeliveryJob, DeliveryMessage } from '../delivery/job';
import type { DeliveryTargets } from '../delivery/target';
import type { StoredBatch } from '../pipeline/drain';
import { batchKey } from '../pipeline/keys';
import type { KeyValueStore } from '../ports';

/** A job's message as the admin page shows it. The job record holds no secrets (requests are redacted). */
export const toDeliveryView = (job: DeliveryJob, message: DeliveryMessage): DeliveryView => ({
  id: message.msgId,
  webhookId: job.webhookId,
  webhookName: job.webhookName,
  eventId: message.eventId,
  eventType: message.eventType,
  test: job.test,
  status: message.status,
  createdAt: job.createdAt,
  updatedAt: job.updatedAt,
  ...(message.nextAttemptAt ? { nextAttemptAt: message.nextAttemptAt } : {}),
  attempts: message.attempts.map((attempt) => ({
    ...attempt,
    request: { ...attempt.request, method: attempt.request.method === 'PUT' ? 'PUT' : 'POST' },
    errorClass: attempt.errorClass as DeliveryView['attempts'][number]['errorClass'],
  })),
});

/** What rebuilding a message's request body needs: the batch's events, the webhook's settings, the site's links. */
export interface RequestBodyDeps {
  store: KeyValueStore;
  targets: Pick<DeliveryTargets, 'get'>;
  site?: { context(): Promise<RenderContext> };
}

/**
 * The body a message was sent with, rebuilt: the log keeps each attempt's headers, not its body (100
 * messages of a job share one 240 KiB record), while the batch keeps the event 14 days. The body is the
 * kind's rendering of this one event with the webhook's current settings, scrubbed of credentials like
 * every admin answer. Undefined when the batch, the event or the webhook is gone, or the kind cannot render
 * it. (For kinds that batch several events in one request, this is the event's own part.)
 */
export const rebuildRequestBody = async (deps: RequestBodyDeps, job: DeliveryJob, message: DeliveryMessage): Promise<string | undefined> => {
  if (job.test) return undefined;
  try {
    const [batch, target] = await Promise.all([deps.store.get<StoredBatch>(batchKey(job.batchId)), deps.targets.get(job.webhookId)]);
    const event = batch?.events.find((e) => e.id === message.eventId);
    if (!event || !target) return undefined;
    const kind = destinationModule(target.kind);
    const items = [{ msgId: message.msgId, event }];
    // A webhook with a payload template sent the templated body (with its current template, as the settings above).
    const templated = await templatedBody(kind, target.template, items);
    if (templated && !templated.ok) return undefined;
    const body = templated?.body ?? kind.render(items, target.settings, deps.site ? await deps.site.context() : {});
    return scrubCredentials(body, compileCredentials(credentialValues(target)));
  } catch {
    // An unknown kind, a webhook that can no longer render: the inspector says the body is not available.
    return undefined;
  }
};
