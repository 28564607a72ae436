/** The host's clock. `real` follows the wall clock; `manual` fakes only `Date` (with
 * @sinonjs/fake-timers) so the app sees virtual time while real timers keep working. */
import { withGlobal } from '@sinonjs/fake-timers';

type InstalledClock = ReturnType<ReturnType<typeof withGlobal>['install']>;

export type ClockMode = 'real' | 'manual';

const RealDate = Date;
/** The largest time a JavaScript Date can hold (ECMAScript: 8.64e15 ms, year 275760). */
export const MAX_DATE_MS = 8.64e15;
/** Only one fake Date can be installed in a realm; two manual hosts at once would fight over it. */
let manualClockOpen = false;

export class HostClock {
  private fake?: InstalledClock;

  constructor(
    readonly mode: ClockMode,
    startMs: number,
  ) {
    if (mode === 'manual') {
      if (manualClockOpen) {
        throw new Error('Forge local host: another host with a manual clock is open in this process; close() it first');
      }
      this.fake = withGlobal(globalThis).install({ now: startMs, toFake: ['Date'] });
      manualClockOpen = true;
    }
  }

  now(): number {
    return this.fake ? this.fake.now : RealDate.now();
  }

  /** Moves a manual clock forward (never backward). No-op for the real clock. */
  setNow(ms: number): void {
    if (this.fake && ms > this.fake.now) this.fake.setSystemTime(ms);
  }

  uninstall(): void {
    if (this.fake) {
      this.fake.uninstall();
      this.fake = undefined;
      manualClockOpen = false;
    }
  }
}

/** Wall-clock milliseconds for time limits, immune to the fake Date. */
export function realMs(): number {
  return performance.now();
}
