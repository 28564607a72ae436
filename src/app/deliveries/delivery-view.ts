import type { DeliveryView } from '../../contract';
import type { DeliveryJob, DeliveryMessage } from '../delivery/job';

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
