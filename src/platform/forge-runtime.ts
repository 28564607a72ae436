import { randomBytes, randomUUID } from 'node:crypto';
import { getAppContext } from '@forge/api';
import type { Clock, IdSource, Logger } from '../app/ports';

export const systemClock: Clock = { now: () => new Date() };

export const cryptoIds: IdSource = {
  id: (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '')}`,
  randomBytes: (size: number) => randomBytes(size),
  random: () => Math.random(),
};

/** Milliseconds left before Forge stops this invocation; long loops stop early and hand over the rest. */
export const remainingTimeMs = (): number => {
  try {
    return getAppContext().invocationRemainingTimeInMillis();
  } catch {
    return 25_000;
  }
};

/** The installation this invocation serves (module state outlives invocations, and may serve several). */
export const installationKey = (): string => {
  try {
    return String(getAppContext().installationAri);
  } catch {
    return 'unknown';
  }
};

/**
 * The admin page's path on the site: Forge builds a `useAsConfig` admin page's URL as
 * /jira/settings/apps/configure/{appId}/{envId} (manifest reference, jira:adminPage). Undefined when the
 * app context does not name the app and environment.
 */
export const adminPagePath = (): string | undefined => {
  try {
    const context = getAppContext();
    const appId = /::app\/([A-Za-z0-9-]+)$/.exec(String(context.appAri))?.[1];
    const environmentId = /::environment\/[A-Za-z0-9-]+\/([A-Za-z0-9-]+)$/.exec(String(context.environmentAri))?.[1];
    return appId && environmentId ? `/jira/settings/apps/configure/${appId}/${environmentId}` : undefined;
  } catch {
    return undefined;
  }
};

/** One JSON line per entry: Forge's log viewer keeps them searchable. Callers never pass secrets. */
export const consoleLogger: Logger = {
  info: (message, fields) => console.log(JSON.stringify({ level: 'info', message, ...fields })),
  warn: (message, fields) => console.warn(JSON.stringify({ level: 'warn', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
};
