/** A rolling 60-second window in virtual time, used for the per-installation rate limits. */
export class RollingWindow {
  private entries: { at: number; units: number }[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  used(now: number): number {
    const from = now - this.windowMs;
    while (this.entries.length > 0 && (this.entries[0]?.at ?? 0) <= from) this.entries.shift();
    return this.entries.reduce((sum, e) => sum + e.units, 0);
  }

  /** Records `units` if they fit; answers whether they did. */
  tryTake(now: number, units: number): boolean {
    if (this.used(now) + units > this.limit) return false;
    this.entries.push({ at: now, units });
    return true;
  }
}
