/** The two globals the Forge SDK funnels through (`__forge_fetch__`, `__forge_runtime__`) plus the
 * global `fetch`, made per-invocation with AsyncLocalStorage so concurrent invocations stay apart.
 *
 * They are installed as soon as this module loads, because @forge/api captures the global `fetch`
 * when it is first required: import `dev/host` before anything that loads `@forge/*`. */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface ForgeTarget {
  type?: string;
  provider?: string;
  remote?: string;
  accountId?: string;
  contextAri?: string;
}

/** What a host must provide to serve the globals. */
export interface HostBackend {
  forgeFetch(ctx: InvocationContext | undefined, target: ForgeTarget, path: string, init: RequestInit | undefined): Promise<Response>;
  egressFetch(ctx: InvocationContext, input: unknown, init: RequestInit | undefined, original: typeof fetch): Promise<Response>;
}

export interface InvocationContext {
  backend: HostBackend;
  invocationId: string;
  functionKey: string;
  moduleKey: string;
  accountId?: string;
  /** performance.now() at start and at the deadline (real wall time) */
  startedAt: number;
  deadline: number;
  timedOut: boolean;
  egressRequests: number;
  /** Forge: 100 egress requests per runtime minute of the function's timeout, rounded up */
  egressAllowance: number;
  runtime: Record<string, unknown>;
}

export const invocationStorage = new AsyncLocalStorage<InvocationContext>();

export function currentInvocation(): InvocationContext | undefined {
  return invocationStorage.getStore();
}

/** The backend used by `__forge_fetch__` outside any invocation (e.g. a test reading KVS directly):
 * the most recently created host that is still open. */
const openBackends: HostBackend[] = [];

export function registerBackend(b: HostBackend): void {
  openBackends.push(b);
  installGlobals();
}

export function unregisterBackend(b: HostBackend): void {
  const i = openBackends.indexOf(b);
  if (i >= 0) openBackends.splice(i, 1);
  if (openBackends.length === 0) restoreFetch();
}

type GlobalWithForge = typeof globalThis & {
  __forge_fetch__?: unknown;
  __forge_runtime__?: unknown;
  __forge_local_host_original_fetch__?: typeof fetch;
};
const g = globalThis as GlobalWithForge;

/** Fetched once per host through the app's copy of @forge/api to prove it captured our fetch. */
export const PROBE_URL = 'https://forge-local-probe.invalid/';

function refuseAfterTimeout(ctx: InvocationContext): void {
  if (ctx.timedOut) {
    throw new Error(`Forge local host: invocation of ${ctx.functionKey} already timed out; on Forge its process would have been stopped, so this call is refused`);
  }
}

async function forgeFetch(target: ForgeTarget, path: string, init?: RequestInit): Promise<Response> {
  const ctx = currentInvocation();
  if (ctx) refuseAfterTimeout(ctx);
  const backend = ctx?.backend ?? openBackends[openBackends.length - 1];
  if (!backend) throw new Error('Forge local host: __forge_fetch__ called but no host is open');
  return backend.forgeFetch(ctx, target, path, init);
}

function originalFetch(): typeof fetch {
  const f = g.__forge_local_host_original_fetch__;
  if (!f) throw new Error('Forge local host: the original fetch was not captured');
  return f;
}

/** Inside an invocation the app's fetch goes through the host's egress rules; outside, it is the
 * plain fetch (tests use it to talk to the host). A single function, so copies captured by
 * @forge/api keep working across hosts. */
async function fetchWrapper(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const ctx = currentInvocation();
  if (!ctx) return originalFetch()(input, init);
  if (input === PROBE_URL) return new Response(null, { status: 204, headers: { 'x-forge-local-probe': '1' } });
  refuseAfterTimeout(ctx);
  return ctx.backend.egressFetch(ctx, input, init, originalFetch());
}

export function installGlobals(): void {
  if (!g.__forge_local_host_original_fetch__) {
    if (typeof g.fetch !== 'function') throw new Error('Forge local host needs a global fetch (Node >= 18)');
    g.__forge_local_host_original_fetch__ = g.fetch;
  }
  if (g.fetch !== fetchWrapper) g.fetch = fetchWrapper as typeof fetch;
  if (g.__forge_fetch__ !== forgeFetch) {
    Object.defineProperty(g, '__forge_fetch__', { value: forgeFetch, configurable: true, writable: true });
  }
  const desc = Object.getOwnPropertyDescriptor(g, '__forge_runtime__');
  if (!desc || desc.get !== runtimeGetter) {
    Object.defineProperty(g, '__forge_runtime__', { get: runtimeGetter, configurable: true });
  }
}

function runtimeGetter(): unknown {
  return currentInvocation()?.runtime;
}

function restoreFetch(): void {
  const f = g.__forge_local_host_original_fetch__;
  if (f && g.fetch === fetchWrapper) g.fetch = f;
}

installGlobals();
