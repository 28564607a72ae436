/** Starts the local host as a user does, `dev/main.ts` under tsx in its own process group, for the tests that
 * need a real process: configuration from the environment, SIGTERM, and a SIGKILL mid-run. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { FIXTURE_DIR } from './helpers';

const REPO = path.join(__dirname, '..', '..');

export interface Run { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> }

export function startHost(env: Record<string, string>): Run {
  // `node --import tsx`, not the tsx CLI: the CLI relays SIGTERM to its child and SIGKILLs it (exit 143)
  // if the child does not confirm within 30 ms, which a loaded machine misses now and then.
  const child = spawn(process.execPath, ['--import', 'tsx', 'dev/main.ts'], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', FORGE_LOCAL_APP_DIR: FIXTURE_DIR, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Kills the process group the test started (tsx and its node child), whatever state it is in. */
export function kill(run: Run): void {
  if (run.child.pid && run.child.exitCode === null) {
    try {
      process.kill(-run.child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

export async function listening(run: Run): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const m = /Local Forge host: (http:\/\/127\.0\.0\.1:\d+)/.exec(run.stdout());
    if (m?.[1]) return m[1];
    if (run.child.exitCode !== null) throw new Error(`the host exited: ${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the host did not start: ${run.stdout()} ${run.stderr()}`);
}

export async function stop(run: Run): Promise<number | null> {
  if (run.child.pid) process.kill(-run.child.pid, 'SIGTERM');
  return run.exited;
}

export const postJson = async (url: string, p: string, body: unknown) =>
  (await fetch(`${url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<Record<string, unknown>>;

