/** Shared set-up for the host's own tests. Importing dev/host first matters: it installs the
 * host's fetch before @forge/api (loaded by the fixture app) captures the global fetch. */
import path from 'node:path';
import { createForgeHost, type ForgeHost, type ForgeHostOptions } from '../../dev/host';

export const FIXTURE_DIR = path.join(__dirname, 'fixture-app');
export const START = new Date('2026-11-20T12:00:00.000Z');

/** For tests of one mechanism that count deliveries exactly: no second deliveries. Everything else
 * about the host stays as strict as Forge. */
export const EXACTLY_ONCE = { strictness: { duplicateRate: 0 } } as const;

export function manualHost(extra: Partial<ForgeHostOptions> = {}): Promise<ForgeHost> {
  return createForgeHost({ appDir: FIXTURE_DIR, clock: 'manual', startTime: START, ...extra });
}

type Attempt = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string; code?: string; status?: number } };

function isAttempt(v: unknown): v is Attempt {
  return typeof v === 'object' && v !== null && 'ok' in v;
}

/** Calls a fixture resolver definition that wraps its work in `attempt` and returns its value. */
export async function call(host: ForgeHost, key: string, payload?: unknown, accountId?: string): Promise<unknown> {
  const r = await host.invoke(key, payload, accountId);
  if (!isAttempt(r)) throw new Error(`fixture ${key} returned ${JSON.stringify(r)}`);
  if (!r.ok) throw new Error(`fixture ${key} failed: ${JSON.stringify(r.error)}`);
  return r.value;
}

/** Calls a fixture resolver definition that is expected to fail and returns the error it saw. */
export async function callError(host: ForgeHost, key: string, payload?: unknown): Promise<{ name: string; message: string; code?: string; status?: number }> {
  const r = await host.invoke(key, payload);
  if (!isAttempt(r)) throw new Error(`fixture ${key} returned ${JSON.stringify(r)}`);
  if (r.ok) throw new Error(`fixture ${key} unexpectedly succeeded with ${JSON.stringify(r.value)}`);
  return r.error;
}
