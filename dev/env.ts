/** Reads the host's configuration from environment variables (the table in dev/README.md). Only
 * dev/main.ts calls it; everything else takes options. A value the host cannot use is an error that
 * names the variable, never a silent fallback. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseRoutes } from './egress';
import type { SlackStandInOptions } from './slack-standin';
import { parseVariables } from './webtrigger';
import type { ForgeHostOptions } from './host';
import { resolveStrictness, type Strictness } from './strictness';

/** The variables that turn the host's Forge-like harshness up or down (dev/README.md). */
const STRICTNESS_VARIABLES: [string, keyof Strictness][] = [
  ['FORGE_LOCAL_WORKERS', 'workers'],
  ['FORGE_LOCAL_DUPLICATE_RATE', 'duplicateRate'],
  ['FORGE_LOCAL_EVENT_DELAY', 'productEventDelaySeconds'],
  ['FORGE_LOCAL_EXPIRED_READABLE', 'expiredReadableSeconds'],
  ['FORGE_LOCAL_SEED', 'seed'],
];

export interface HostEnvConfig {
  port: number;
  stateDir: string;
  options: ForgeHostOptions;
}

/** An empty variable counts as unset, as in a shell's `PORT= npm start`. */
function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/** A number, or undefined when unset; text that is no number is an error naming the variable. */
function readNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = read(env, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number; got "${text}"`);
  return n;
}

export function hostConfigFromEnv(env: NodeJS.ProcessEnv, cwd: string): HostEnvConfig {
  const portText = read(env, 'PORT') ?? '8787';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new Error(`PORT must be a port number (0..65535); got "${portText}"`);

  const clock = read(env, 'FORGE_LOCAL_CLOCK') ?? 'real';
  if (clock !== 'real' && clock !== 'manual') throw new Error(`FORGE_LOCAL_CLOCK must be "real" or "manual"; got "${clock}"`);

  const adminsText = read(env, 'FORGE_LOCAL_ADMINS');
  const admins = (adminsText ?? 'local-admin').split(',').map((a) => a.trim()).filter(Boolean);
  if (admins.length === 0) throw new Error(`FORGE_LOCAL_ADMINS names no account; got "${adminsText ?? ''}" (comma-separated account ids)`);

  const scaleText = read(env, 'FORGE_LOCAL_TIME_LIMIT_SCALE');
  const scale = scaleText === undefined ? undefined : Number(scaleText);
  if (scale !== undefined && !(Number.isFinite(scale) && scale > 0)) {
    throw new Error(`FORGE_LOCAL_TIME_LIMIT_SCALE must be a number above 0; got "${scaleText ?? ''}"`);
  }

  const strictness: Partial<Strictness> = {};
  for (const [name, field] of STRICTNESS_VARIABLES) {
    const n = readNumber(env, name);
    if (n === undefined) continue;
    strictness[field] = n;
    try {
      resolveStrictness({ [field]: n });
    } catch (e) {
      throw new Error(`${name}: ${(e as Error).message.replace(/^Forge local host strictness: /, '')}`);
    }
  }

  const appDir = read(env, 'FORGE_LOCAL_APP_DIR') ?? cwd;
  const variables = readVariables(env, appDir);
  const slack = readSlackApp(env);

  const stateDir = read(env, 'FORGE_LOCAL_DIR') ?? '.forge-local';
  return {
    port,
    stateDir,
    options: {
      appDir,
      stateDir,
      clock,
      routes: parseRoutes(read(env, 'FORGE_LOCAL_ROUTES')),
      admins,
      logErrors: true,
      ...(Object.keys(variables).length > 0 ? { variables } : {}),
      ...(slack === false || Object.keys(slack).length > 0 ? { slack } : {}),
      // The stand-in OAuth provider (dev/oauth-standin.ts) is on under npm start unless FORGE_LOCAL_OAUTH_STANDIN=off.
      ...(read(env, 'FORGE_LOCAL_OAUTH_STANDIN') === 'off' ? {} : { oauthStandIn: {} }),
      ...(Object.keys(strictness).length > 0 ? { strictness } : {}),
      ...(scale !== undefined ? { timeScale: scale } : {}),
    },
  };
}

/** Where the app's Forge variables come from when FORGE_LOCAL_VARIABLES_FILE is unset (if the file exists). */
export const DEFAULT_VARIABLES_FILE = 'dev/local-variables.env';

/**
 * The app's Forge environment variables: the file FORGE_LOCAL_VARIABLES_FILE (default
 * dev/local-variables.env, when present), then FORGE_LOCAL_VARIABLES (`NAME=value,...`), which wins.
 */
function readVariables(env: NodeJS.ProcessEnv, appDir: string): Record<string, string> {
  const named = read(env, 'FORGE_LOCAL_VARIABLES_FILE');
  const file = path.resolve(appDir, named ?? DEFAULT_VARIABLES_FILE);
  let fromFile: Record<string, string> = {};
  if (named !== undefined || existsSync(file)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`FORGE_LOCAL_VARIABLES_FILE: cannot read ${file} (${(e as Error).message})`);
    }
    fromFile = parseVariables(text, `FORGE_LOCAL_VARIABLES_FILE (${file})`, /\r?\n/);
  }
  const inline = read(env, 'FORGE_LOCAL_VARIABLES');
  return { ...fromFile, ...(inline === undefined ? {} : parseVariables(inline, 'FORGE_LOCAL_VARIABLES')) };
}

/** FORGE_LOCAL_SLACK_APP: `<client id>:<client secret>` of the Slack app the stand-in knows, or `off`. */
function readSlackApp(env: NodeJS.ProcessEnv): Partial<SlackStandInOptions> | false {
  const text = read(env, 'FORGE_LOCAL_SLACK_APP');
  if (text === undefined) return {};
  if (text === 'off') return false;
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) throw new Error(`FORGE_LOCAL_SLACK_APP must be "<client id>:<client secret>" or "off"; got "${text.slice(0, 20)}..."`);
  return { clientId: text.slice(0, colon), clientSecret: text.slice(colon + 1) };
}

