/** The app logs JSON lines through console (src/platform/forge-runtime.ts). During a scenario the bench
 * counts them by level and message instead of printing thousands of lines; other output passes through. */

export interface LogCounts {
  byLevel: Record<string, number>;
  /** "level: message" → count, for warnings and errors */
  problems: Record<string, number>;
}

type ConsoleMethod = (...args: unknown[]) => void;

export class AppLogTap {
  private saved: { log: ConsoleMethod; warn: ConsoleMethod; error: ConsoleMethod; info: ConsoleMethod } | undefined;
  private byLevel: Record<string, number> = {};
  private problems: Record<string, number> = {};

  install(): void {
    if (this.saved) return;
    this.saved = { log: console.log, warn: console.warn, error: console.error, info: console.info };
    const tap =
      (original: ConsoleMethod): ConsoleMethod =>
      (...args: unknown[]) => {
        if (!this.count(args)) original(...args);
      };
    console.log = tap(this.saved.log);
    console.info = tap(this.saved.info);
    console.warn = tap(this.saved.warn);
    console.error = tap(this.saved.error);
  }

  uninstall(): void {
    if (!this.saved) return;
    console.log = this.saved.log;
    console.info = this.saved.info;
    console.warn = this.saved.warn;
    console.error = this.saved.error;
    this.saved = undefined;
  }

  reset(): void {
    this.byLevel = {};
    this.problems = {};
  }

  counts(): LogCounts {
    return { byLevel: { ...this.byLevel }, problems: { ...this.problems } };
  }

  /** true when the line was an app log line (counted, not printed) */
  private count(args: unknown[]): boolean {
    if (args.length !== 1 || typeof args[0] !== 'string' || !args[0].startsWith('{')) return false;
    let parsed: unknown;
    try {
      parsed = JSON.parse(args[0]);
    } catch {
      return false;
    }
    if (typeof parsed !== 'object' || parsed === null) return false;
    const { level, message } = parsed as { level?: unknown; message?: unknown };
    if (typeof level !== 'string' || typeof message !== 'string') return false;
    this.byLevel[level] = (this.byLevel[level] ?? 0) + 1;
    if (level !== 'info') {
      const key = `${level}: ${message}`;
      this.problems[key] = (this.problems[key] ?? 0) + 1;
    }
    return true;
  }
}
