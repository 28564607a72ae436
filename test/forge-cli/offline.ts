/** What the Forge CLI's own code needs to run here without an Atlassian login or network: the
 * packages it uses, resolved the way the CLI resolves them, and stubs for its two online services. */
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as CliShared from '@forge/cli-shared';

export type CliSharedModule = typeof CliShared;

/** `require` as seen from inside an installed package, so that each Forge package gets the
 * @forge/cli-shared (and the rest) it depends on, not whatever npm hoisted to the top. */
export function requireFrom(packageName: string, from: NodeJS.Require = require): NodeJS.Require {
  return createRequire(from.resolve(`${packageName}/package.json`));
}

export function packageVersion(packageName: string, from: NodeJS.Require = require): string {
  return (from(`${packageName}/package.json`) as { version: string }).version;
}

/** Feature gates and dynamic configs are fetched from Atlassian online; offline every gate is
 * unset, so each Forge check takes its own default. Typed as the StatsigService the bundler and the
 * linters ask for: what they call of it are StatsigReader's methods, the rest is its online client. */
export function offlineStatsigReader(cliShared: CliSharedModule): CliShared.StatsigService {
  class OfflineStatsigReader extends cliShared.StatsigReader {
    async checkGate(): Promise<null> {
      return null;
    }
    async getDynamicConfig(): Promise<null> {
      return null;
    }
  }
  return new OfflineStatsigReader() as unknown as CliShared.StatsigService;
}

export interface CollectingLogger extends CliShared.Logger {
  readonly lines: { level: 'trace' | 'debug' | 'info' | 'warn' | 'error'; message: string }[];
}

export function collectingLogger(): CollectingLogger {
  const lines: CollectingLogger['lines'] = [];
  return {
    lines,
    traceEnabled: false,
    debugEnabled: false,
    trace: (message) => lines.push({ level: 'trace', message }),
    debug: (message) => lines.push({ level: 'debug', message }),
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (error) => lines.push({ level: 'error', message: error.message }),
  };
}

/** The repository root: the CLI runs in the app's folder and reads manifest.yml, tsconfig.json,
 * .gitignore and src/ relative to it. */
export const appDirectory = path.resolve(__dirname, '../..');
