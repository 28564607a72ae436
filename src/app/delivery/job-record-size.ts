import type { DeliveryJob } from './job';

/** A KVS value is at most 240 KiB; the delivery log keeps every attempt but may drop old response bodies. */
export const MAX_JOB_RECORD_BYTES = 220 * 1024;

const size = (job: DeliveryJob): number => Buffer.byteLength(JSON.stringify(job));

/**
 * Keeps a job record within the KVS value limit: response bodies of older attempts go first (each
 * message keeps its latest), then of latest attempts, each replaced by a note saying why.
 */
export const fitJobRecord = (job: DeliveryJob): DeliveryJob => {
  if (size(job) <= MAX_JOB_RECORD_BYTES) return job;
  const responses = job.messages.flatMap((message) =>
    message.attempts.map((attempt, index) => ({ attempt, latest: index === message.attempts.length - 1 })),
  );
  const order = [...responses.filter((r) => !r.latest), ...responses.filter((r) => r.latest)];
  for (const { attempt } of order) {
    if (!attempt.response || attempt.response.body === '') continue;
    attempt.response = { ...attempt.response, body: '[response body dropped: delivery log record size limit]', truncated: true };
    if (size(job) <= MAX_JOB_RECORD_BYTES) break;
  }
  return job;
};
