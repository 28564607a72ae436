/** Reads the host's configuration from environment variables (the table in dev/README.md). Only
 * dev/main.ts calls it; everything else takes options. A value the host cannot use is an error that
 * names the variable, never a silent fallback. */
import { parseRoutes } from './egress';
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

  const stateDir = read(env, 'FORGE_LOCAL_DIR') ?? '.forge-local';
  return {
    port,
    stateDir,
    options: {
      appDir: read(env, 'FORGE_LOCAL_APP_DIR') ?? cwd,
      stateDir,
      clock,
      routes: parseRoutes(read(env, 'FORGE_LOCAL_ROUTES')),
      admins,
      logErrors: true,
      ...(Object.keys(strictness).length > 0 ? { strictness } : {}),
      ...(scale !== undefined ? { timeScale: scale } : {}),
    },
  };
}
