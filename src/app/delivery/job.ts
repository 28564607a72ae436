import { createHash } from 'node:crypto';
import { z } from 'zod';
import { reversedTime, timeFromReversed } from '../pipeline/keys';

/**
 * A delivery job carries up to JOB_SIZE events of one fan-out batch to one webhook. Batching keeps the app
 * inside Forge's 500 queued events per minute and keeps delivery-log writes to one per job per round.
 * Each (event, webhook) pair is one message with one id, sent as `webhook-id` on every attempt.
 * The record of 100 messages with several failed attempts each would fit KVS's 240 KiB
 * (job-record-size.ts) and one run's 100 sends the egress allowance (deliver-job.ts, SENDS_PER_RUN); 100
 * waits until a duplicated queue delivery of a fresh job no longer sends every message twice.
 */
export const JOB_SIZE = 100;

export const MESSAGE_STATUSES = ['pending', 'delivered', 'failed', 'skipped'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

const attemptSchema = z.object({
  number: z.number().int().positive(),
  at: z.string(),
  outcome: z.enum(['delivered', 'retry', 'failed']),
  httpStatus: z.number().int().optional(),
  durationMs: z.number().nonnegative(),
  errorClass: z.string().optional(),
  errorMessage: z.string().optional(),
  request: z.object({ method: z.string(), url: z.string(), headers: z.record(z.string(), z.string()) }),
  response: z
    .object({ status: z.number().int(), headers: z.record(z.string(), z.string()), body: z.string(), truncated: z.boolean() })
    .optional(),
});
export type DeliveryAttempt = z.infer<typeof attemptSchema>;

const messageSchema = z.object({
  msgId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  status: z.enum(MESSAGE_STATUSES),
  attempts: z.array(attemptSchema),
  nextAttemptAt: z.string().optional(),
  note: z.string().optional(),
});
export type DeliveryMessage = z.infer<typeof messageSchema>;

export const deliveryJobSchema = z.object({
  jobId: z.string(),
  webhookId: z.string(),
  webhookName: z.string(),
  batchId: z.string(),
  test: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  messages: z.array(messageSchema),
});
export type DeliveryJob = z.infer<typeof deliveryJobSchema>;

/** What a delivery queue event carries: a reference, never payloads or secrets. */
export const deliveryTaskSchema = z.object({
  jobId: z.string(),
  webhookId: z.string(),
  webhookName: z.string(),
  batchId: z.string(),
  /** The job's events when it is first queued; empty on hops and recoveries, whose job record lists them. */
  eventIds: z.array(z.string()).max(JOB_SIZE),
  /** Set on a re-queued hop: only the hop whose token the job record holds goes on. */
  hopToken: z.string().max(40).optional(),
});
export type DeliveryTask = z.infer<typeof deliveryTaskSchema>;

const shortHash = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 20);

/** Deterministic, so a re-run of the same fan-out yields the same job and the same message ids. */
export const jobIdFor = (batchCreatedMs: number, batchId: string, webhookId: string, chunk: number): string =>
  `${reversedTime(batchCreatedMs)}${shortHash(`${batchId}|${webhookId}|${chunk}`)}`;

export const jobCreatedMs = (jobId: string): number => timeFromReversed(jobId.slice(0, 13));

/** `webhook-id` must not contain '.', which separates the parts of the signed content. */
export const messageIdFor = (jobId: string, index: number): string => `msg_${jobId}_${index}`;

export const parseMessageId = (msgId: string): { jobId: string; index: number } | undefined => {
  const match = /^msg_([0-9a-f]{33})_(\d{1,3})$/.exec(msgId);
  return match ? { jobId: match[1] as string, index: Number(match[2]) } : undefined;
};

export const batchIdFor = (firstKey: string, lastKey: string, count: number): string => shortHash(`${firstKey}|${lastKey}|${count}`);
