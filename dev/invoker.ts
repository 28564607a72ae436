/** Loads the app's handlers named in manifest.yml and runs one invocation with its own runtime
 * context and Forge's wall-time limit. */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AppModel } from './manifest';
import { invocationStorage, PROBE_URL, type HostBackend, type InvocationContext } from './runtime-context';
import { realMs } from './clock';
import { functionStats, type Counters } from './stats';
import { EGRESS_LIMIT_PER_RUNTIME_MINUTE } from './egress';

export type FunctionKind = 'resolver' | 'trigger' | 'consumer' | 'scheduled' | 'webtrigger';

/** Forge's limits: 25 s for resolvers, product triggers and web triggers; consumers and scheduled triggers get
 * 55 s or their function's timeoutSeconds (max 900). */
export function timeLimitSeconds(kind: FunctionKind, timeoutSeconds: number | undefined): number {
  if (kind === 'consumer' || kind === 'scheduled') return Math.min(timeoutSeconds ?? 55, 900);
  return 25;
}

/** Forge's egress allowance per invocation: 100 requests per runtime minute, "calculated based on the
 * function timeout, specified by timeoutSeconds, rounded up per minute"; a function without a declared
 * timeout gets 100 (Forge docs, Invocation limits). */
export function egressAllowance(timeoutSeconds: number | undefined): number {
  return EGRESS_LIMIT_PER_RUNTIME_MINUTE * Math.ceil(Math.min(timeoutSeconds ?? 60, 900) / 60);
}

export interface InvocationFailure { functionKey: string; moduleKey: string; kind: 'error' | 'timeout'; message: string; stack?: string }

export type Outcome =
  | { kind: 'ok'; value: unknown }
  | { kind: 'error'; error: unknown }
  | { kind: 'timeout'; limitSeconds: number };

export interface InvocationIdentity {
  appId: string;
  environmentId: string;
  installationId: string;
  cloudId: string;
}

type Handler = (...args: unknown[]) => unknown;

export class Invoker {
  private readonly cache = new Map<string, Handler>();
  private fetchChecked = false;

  constructor(
    private readonly app: AppModel,
    private readonly backend: HostBackend,
    private readonly identity: InvocationIdentity,
    private readonly egressBackend: () => unknown[],
    private readonly counters: Counters,
    private readonly timeScale: number,
    private readonly onFailure: (failure: InvocationFailure) => void,
  ) {}

  /** Requires the handler lazily, so the host's globals and fetch wrapper are in place first. */
  private async handler(functionKey: string, ctx: InvocationContext): Promise<Handler> {
    const cached = this.cache.get(functionKey);
    if (cached) return cached;
    const fn = this.load(functionKey);
    if (!this.fetchChecked) {
      await this.checkFetchCapture(ctx);
      this.fetchChecked = true;
    }
    return fn;
  }

  /** @forge/api keeps the global fetch it saw when first loaded. If that happened before the host
   * installed its fetch, the app's egress would bypass the host: say so instead of misbehaving. */
  private async checkFetchCapture(ctx: InvocationContext): Promise<void> {
    let forgeApi: unknown;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      forgeApi = require(require.resolve('@forge/api', { paths: [this.app.appDir] }));
    } catch {
      return;
    }
    const appFetch = typeof forgeApi === 'object' && forgeApi !== null ? (forgeApi as { fetch?: unknown }).fetch : undefined;
    if (typeof appFetch !== 'function') return;
    const probe = await invocationStorage
      .run(ctx, async () => (appFetch as (url: string, init: RequestInit) => Promise<Response>)(PROBE_URL, { signal: AbortSignal.timeout(3000) }))
      .catch(() => undefined);
    if (probe?.headers.get('x-forge-local-probe') !== '1') {
      throw new Error(
        'Forge local host: @forge/api was loaded before dev/host, so it captured the plain global fetch and the app\'s egress would bypass the host. ' +
          'Import dev/host (createForgeHost) before anything that imports @forge/*.',
      );
    }
  }

  private load(functionKey: string): Handler {
    const def = this.app.functions.get(functionKey);
    if (!def) throw new Error(`Forge local host: manifest.yml has no function "${functionKey}"`);
    const file = path.join(this.app.appDir, 'src', def.file);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod: unknown = require(file);
    const exported = typeof mod === 'object' && mod !== null ? (mod as Record<string, unknown>)[def.exportName] : undefined;
    if (typeof exported !== 'function') {
      throw new Error(`Forge local host: function "${functionKey}" names handler ${def.file}.${def.exportName}, but ${file} does not export a function "${def.exportName}"`);
    }
    const fn = exported as Handler;
    this.cache.set(functionKey, fn);
    return fn;
  }

  async run(opts: { functionKey: string; moduleKey: string; kind: FunctionKind; accountId?: string; args: unknown[] }): Promise<Outcome> {
    const stats = functionStats(this.counters, opts.functionKey);
    stats.invocations++;
    const def = this.app.functions.get(opts.functionKey);
    const limitSeconds = timeLimitSeconds(opts.kind, def?.timeoutSeconds);
    const limitMs = limitSeconds * 1000 * this.timeScale;
    const invocationId = randomUUID();
    const startedAt = realMs();
    const ctx: InvocationContext = {
      backend: this.backend,
      invocationId,
      functionKey: opts.functionKey,
      moduleKey: opts.moduleKey,
      accountId: opts.accountId,
      startedAt,
      deadline: startedAt + limitMs,
      timedOut: false,
      egressRequests: 0,
      egressAllowance: egressAllowance(opts.kind === 'consumer' || opts.kind === 'scheduled' ? def?.timeoutSeconds : undefined),
      runtime: {},
    };
    ctx.runtime = this.runtimeFor(ctx);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => {
        ctx.timedOut = true;
        resolve({ kind: 'timeout', limitSeconds });
      }, limitMs);
    });
    const work = invocationStorage.run(ctx, async (): Promise<Outcome> => {
      try {
        const value = await (await this.handler(opts.functionKey, ctx))(...opts.args);
        return { kind: 'ok', value };
      } catch (error) {
        return { kind: 'error', error };
      }
    });
    const outcome = await Promise.race([work, timeout]);
    clearTimeout(timer);
    if (outcome.kind === 'timeout') {
      stats.timeouts++;
      this.onFailure({ functionKey: opts.functionKey, moduleKey: opts.moduleKey, kind: 'timeout', message: `timed out after ${limitSeconds} s` });
      // The code cannot be stopped; whatever it does later is ignored, as on Forge after a time-out.
      work.catch(() => undefined);
    } else if (outcome.kind === 'error') {
      stats.errors++;
      const e = outcome.error;
      this.onFailure({
        functionKey: opts.functionKey,
        moduleKey: opts.moduleKey,
        kind: 'error',
        message: e instanceof Error ? e.message : String(e),
        ...(e instanceof Error && e.stack ? { stack: e.stack } : {}),
      });
    }
    return outcome;
  }

  private runtimeFor(ctx: InvocationContext): Record<string, unknown> {
    const noop = (): void => undefined;
    const counter = () => ({ incr: noop, decr: noop });
    return {
      proxy: { token: 'forge-local-proxy-token', url: 'https://forge-local.invalid' },
      contextAri: `ari:cloud:jira::site/${this.identity.cloudId}`,
      appContext: {
        appId: this.identity.appId,
        appVersion: '1.0.0',
        environmentId: this.identity.environmentId,
        environmentType: 'DEVELOPMENT',
        invocationId: ctx.invocationId,
        installationId: this.identity.installationId,
        moduleKey: ctx.moduleKey,
        license: undefined,
        installation: { id: this.identity.installationId, contexts: [`ari:cloud:jira::site/${this.identity.cloudId}`] },
        permissions: { scopes: [...this.app.scopes], external: { fetch: { backend: this.egressBackend() } } },
      },
      lambdaContext: {
        functionName: ctx.functionKey,
        awsRequestId: ctx.invocationId,
        getRemainingTimeInMillis: () => Math.max(0, Math.round(ctx.deadline - realMs())),
      },
      metrics: {
        counter,
        timing: () => ({ measure: () => ({ stop: noop }) }),
        gauge: () => ({ set: noop }),
        histogram: () => ({ record: noop }),
      },
      tracing: { traceId: ctx.invocationId.replace(/-/g, '').slice(0, 16), spanId: randomUUID().replace(/-/g, '').slice(0, 16) },
      externalAuth: [],
    };
  }
}

/** `new InvocationError(...)` from @forge/events returns `{_retry: true, retryOptions}`. */
export function asInvocationError(value: unknown): { retryAfter?: number; retryReason?: string; retryData?: unknown } | undefined {
  if (typeof value !== 'object' || value === null || (value as { _retry?: unknown })._retry !== true) return undefined;
  const options = (value as { retryOptions?: unknown }).retryOptions;
  if (typeof options !== 'object' || options === null) return {};
  const o = options as Record<string, unknown>;
  return {
    retryAfter: typeof o.retryAfter === 'number' ? o.retryAfter : undefined,
    retryReason: typeof o.retryReason === 'string' ? o.retryReason : undefined,
    retryData: o.retryData,
  };
}
