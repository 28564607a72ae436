import { Queue, RateLimitError, PartialSuccessError } from '@forge/events';
import type { PushEvent } from '@forge/events';

/** Forge accepts at most 50 events and 200 KB per push; we stay under both with a margin for the envelope. */
export const MAX_EVENTS_PER_PUSH = 50;
export const MAX_PUSH_BYTES = 190 * 1024;

export interface QueueMessage<T> {
  body: T;
  delayInSeconds?: number;
  /** At most `limit` events with the same key run at once (per installation). */
  concurrency?: { key: string; limit: number };
}

/** The queue refused the push: over Forge's 500 events per minute, or a transient platform failure. */
export class QueueUnavailableError extends Error {
  constructor(
    message: string,
    readonly rateLimited: boolean,
  ) {
    super(message);
    this.name = 'QueueUnavailableError';
  }
}

const chunk = <T>(messages: QueueMessage<T>[]): QueueMessage<T>[][] => {
  const chunks: QueueMessage<T>[][] = [];
  let current: QueueMessage<T>[] = [];
  let bytes = 2;
  for (const message of messages) {
    const size = Buffer.byteLength(JSON.stringify(message)) + 1;
    if (current.length > 0 && (current.length === MAX_EVENTS_PER_PUSH || bytes + size > MAX_PUSH_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 2;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};

/** Pushes in chunks Forge accepts. A refused chunk throws QueueUnavailableError naming how many went through. */
export const pushToQueue = async <T extends Record<string, unknown>>(queueKey: string, messages: QueueMessage<T>[]): Promise<void> => {
  const queue = new Queue<T>({ key: queueKey });
  let pushed = 0;
  for (const part of chunk(messages)) {
    try {
      await queue.push(part.map((m) => m as PushEvent<T>));
      pushed += part.length;
    } catch (error) {
      const rateLimited = error instanceof RateLimitError;
      const failed = error instanceof PartialSuccessError ? error.failedEvents.length : part.length;
      throw new QueueUnavailableError(
        `Queue ${queueKey} refused ${failed} of ${messages.length - pushed} events (${pushed} pushed): ${(error as Error).message}`,
        rateLimited,
      );
    }
  }
};
