import type { Clock, KeyValueStore } from '../ports';
import { PUSH_LEDGER_KEY } from './keys';

/**
 * Forge accepts 500 queued events per minute per installation and answers more with RateLimitError.
 * Every push of the app reserves room here first, so a burst waits instead of being refused. The ledger
 * counts pushes in 5-second slots over a rolling minute; the limit keeps a margin below 500 because two
 * invocations can read the ledger at the same moment.
 */
export const PUSH_LIMIT_PER_MINUTE = 450;
const SLOT_SECONDS = 5;
const WINDOW_SECONDS = 60;

interface Ledger {
  slots: Record<string, number>;
}

export type Reservation = { granted: true } | { granted: false; retryAfterSeconds: number };

export class PushBudget {
  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
    private readonly limit = PUSH_LIMIT_PER_MINUTE,
  ) {}

  async reserve(count: number): Promise<Reservation> {
    if (count <= 0) return { granted: true };
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    const currentSlot = nowSeconds - (nowSeconds % SLOT_SECONDS);
    // A slot holds pushes from anywhere in its 5 s, so it is kept until its *last* second has left the
    // minute: the platform counts each push for a full 60 s from its own time, not from its slot's start.
    const oldestLiveSlot = currentSlot - WINDOW_SECONDS;
    const ledger = (await this.store.get<Ledger>(PUSH_LEDGER_KEY)) ?? { slots: {} };
    const live = Object.entries(ledger.slots)
      .map(([slot, n]) => [Number(slot), n] as const)
      .filter(([slot]) => slot >= oldestLiveSlot)
      .sort((a, b) => a[0] - b[0]);
    const used = live.reduce((sum, [, n]) => sum + n, 0);
    if (used + count > this.limit) {
      return { granted: false, retryAfterSeconds: this.secondsUntilRoom(live, used + count - this.limit, nowSeconds) };
    }
    const slots: Record<string, number> = Object.fromEntries(live.map(([slot, n]) => [String(slot), n]));
    slots[String(currentSlot)] = (slots[String(currentSlot)] ?? 0) + count;
    await this.store.set<Ledger>(PUSH_LEDGER_KEY, { slots }, { ttlSeconds: 2 * WINDOW_SECONDS });
    return { granted: true };
  }

  /** How long until enough old slots leave the window to free `excess` places. */
  private secondsUntilRoom(live: (readonly [number, number])[], excess: number, nowSeconds: number): number {
    let freed = 0;
    for (const [slot, n] of live) {
      freed += n;
      if (freed >= excess) return Math.max(1, slot + SLOT_SECONDS + WINDOW_SECONDS - nowSeconds);
    }
    return WINDOW_SECONDS;
  }
}
