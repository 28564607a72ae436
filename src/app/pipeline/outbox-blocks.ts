import { OUTBOX_PREFIX, pad13 } from './keys';

/**
 * The outbox is read behind a mark instead of being emptied (a delete is a KVS write unit per event).
 * KVS queries take a key prefix only, and an outbox key starts with its 13-digit record time, so any
 * aligned span of 10^k milliseconds (k >= 3) is one prefix: a second is `outbox:<10 digits>`, ten
 * seconds `outbox:<9 digits>`, and a day of quiet is a handful of prefixes, not 86,400 queries.
 */
export interface OutboxBlock {
  /** First record time the block holds (ms, inclusive). */
  startMs: number;
  /** First record time after it (ms, exclusive). */
  endMs: number;
  prefix: string;
}

/** The smallest block is one second: marks and fences move in whole seconds. */
export const BLOCK_MS = 1000;
const LARGEST_POWER = 13;

export const floorToBlock = (ms: number): number => Math.floor(ms / BLOCK_MS) * BLOCK_MS;

/** The largest aligned block that starts at `fromMs` and ends at or before `toMs`; undefined when none fits. */
export const nextBlock = (fromMs: number, toMs: number): OutboxBlock | undefined => {
  const start = floorToBlock(fromMs);
  if (start + BLOCK_MS > toMs) return undefined;
  let power = 3;
  while (power < LARGEST_POWER) {
    const size = 10 ** (power + 1);
    if (start % size !== 0 || start + size > toMs) break;
    power += 1;
  }
  const size = 10 ** power;
  return { startMs: start, endMs: start + size, prefix: `${OUTBOX_PREFIX}${pad13(start).slice(0, 13 - power)}` };
};

/** Every block of [fromMs, toMs), in key order (for tests and the final look). */
export const blocksBetween = (fromMs: number, toMs: number): OutboxBlock[] => {
  const blocks: OutboxBlock[] = [];
  for (let block = nextBlock(fromMs, toMs); block; block = nextBlock(block.endMs, toMs)) blocks.push(block);
  return blocks;
};

/** The record time of an outbox key (NaN for a key of another form). */
export const recordTimeOf = (key: string): number => Number(key.slice(OUTBOX_PREFIX.length, OUTBOX_PREFIX.length + 13));
