import type { DeliveryJob } from './job';
import { encodeJob, type StoredJobRecord } from './job-record';

/** A KVS value is at most 240 KiB; the delivery log keeps every attempt but may drop old response bodies. */
export const MAX_JOB_RECORD_BYTES = 220 * 1024;

const DROPPED_BODY = '[response body dropped: delivery log record size limit]';

const size = (record: StoredJobRecord): number => Buffer.byteLength(JSON.stringify(record));

/**
 * The record to write for a job: its stored form (job-record.ts), kept within the KVS value limit.
 * Response bodies of older attempts go first (each message keeps its latest), then of latest attempts,
 * each replaced by a note saying why. The job is changed the same way, so what the run goes on with is
 * what was stored. Bodies are dropped by their estimated saving and the record encoded again only when
 * the estimate says it fits: a 100-message job with failed attempts stays a few encodings, not hundreds.
 */
export const fitJobRecord = (job: DeliveryJob): StoredJobRecord => {
  let record = encodeJob(job);
  let bytes = size(record);
  if (bytes <= MAX_JOB_RECORD_BYTES) return record;
  const responses = job.messages.flatMap((message) =>
    message.attempts.map((attempt, index) => ({ attempt, latest: index === message.attempts.length - 1 })),
  );
  const order = [...responses.filter((r) => !r.latest), ...responses.filter((r) => r.latest)];
  const markerBytes = Buffer.byteLength(JSON.stringify(DROPPED_BODY));
  for (const { attempt } of order) {
    if (!attempt.response || attempt.response.body === '' || attempt.response.body === DROPPED_BODY) continue;
    bytes -= Buffer.byteLength(JSON.stringify(attempt.response.body)) - markerBytes;
    attempt.response = { ...attempt.response, body: DROPPED_BODY, truncated: true };
    if (bytes <= MAX_JOB_RECORD_BYTES) {
      record = encodeJob(job);
      bytes = size(record);
      if (bytes <= MAX_JOB_RECORD_BYTES) return record;
    }
  }
  return encodeJob(job);
};
