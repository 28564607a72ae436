/** The local Forge host: runs a Forge app's real code, with the real @forge/* packages, against
 * local stand-ins for KVS, async events, Jira and egress, enforcing Forge's limits.
 *
 * Import this module before anything that loads @forge/api: @forge/api captures the global fetch
 * when it first loads, and the host's egress-enforcing fetch must be the one it captures. */
import './runtime-context';
import path from 'node:path';
import { loadManifest, INTERVAL_SECONDS, type AppModel, type AdminPageDef } from './manifest';
import { HostClock, MAX_DATE_MS, type ClockMode } from './clock';
import { registerBackend, unregisterBackend, type ForgeTarget, type HostBackend, type InvocationContext } from './runtime-context';
import { KvsService } from './kvs-service';
import { QueueService, clampRetryAfter, platformBackoffSeconds, type QueuedEvent } from './queue-service';
import { JiraStub, jiraFailureRuleSchema, type AuditRecord, type Caller, type JiraFailureRule } from './jira-stub';
import { EgressPolicy, blockedResponse, egressRateLimitedResponse, requestUrl } from './egress';
import { Invoker, asInvocationError, type InvocationFailure, type Outcome } from './invoker';
import { freshState, loadState, saveState, type PersistedState, type TriggerRetry } from './persistence';
import type { HostStats } from './stats';
import { PRODUCT_EVENT_MAX_BYTES, resolveStrictness, seededRandom, type Strictness } from './strictness';
import { jsonResponse, parseJson, readBodyText } from './responses';
import { SLACK_STANDIN_DEFAULTS, SlackStandIn, type SlackStandInOptions } from './slack-standin';
import { OAUTH_STANDIN_HOST, OAuthStandIn, standInResponse, type OAuthStandInOptions } from './oauth-standin';
import { applyVariables, webTriggerId, webTriggerEvent, webTriggerAnswer, handleWebTriggerGraphql, type WebTriggerHttpRequest, type WebTriggerHttpResponse } from './webtrigger';

export { parseRoutes } from './egress';
export type { HostStats } from './stats';
export type { JiraFailureRule } from './jira-stub';
export { STRICT_DEFAULTS, type Strictness } from './strictness';
export { SLACK_STANDIN_DEFAULTS, type SlackStandInOptions } from './slack-standin';
export type { WebTriggerHttpRequest, WebTriggerHttpResponse } from './webtrigger';

/** The app's own system user: events it causes carry this atlassianId, and `filter.ignoreSelf`
 * drops them. */
export const SYSTEM_ACCOUNT_ID = 'system-app-user';
export const LOCAL_CLOUD_ID = '00000000-0000-4000-8000-00000000c10d';
export const LOCAL_ENVIRONMENT_ID = '00000000-0000-4000-8000-0000000000e1';
export const LOCAL_INSTALLATION_ID = '00000000-0000-4000-8000-00000000001a';
/** At most this many retries of a product-event trigger invocation. */
export const TRIGGER_MAX_RETRIES = 4;

/** A request the host refuses because of what it asks (the HTTP server answers it with a 400). */
export class HostInputError extends Error {
  override name = 'HostInputError';
}

export interface ForgeHostOptions {
  appDir: string;
  /** undefined: in memory only */
  stateDir?: string;
  clock?: ClockMode;
  /** virtual start time of a manual clock with no persisted time */
  startTime?: Date;
  /** hostname → local base URL (see FORGE_LOCAL_ROUTES) */
  routes?: Record<string, string>;
  /** account ids that the stub Jira reports as site admins; default ['local-admin'] */
  admins?: string[];
  /** multiplies Forge's function time limits (tests use small values); default 1 */
  timeScale?: number;
  /** how often the real-clock loop looks for due work, in ms; default 250 */
  tickMs?: number;
  /** print failed and timed-out invocations to stderr (dev/main.ts does); default false */
  logErrors?: boolean;
  /** how harsh the host is (concurrency, duplicates, delays, expired keys); Forge's behaviour by default */
  strictness?: Partial<Strictness>;
  /** the app's Forge environment variables (`forge variables set`), seen by its functions as process.env */
  variables?: Record<string, string>;
  /** the stand-in for Slack's OAuth endpoints (dev/slack-standin.ts); false: none, so slack.com egress goes
   * to FORGE_LOCAL_ROUTES or the real internet */
  slack?: Partial<SlackStandInOptions> | false;
  /** the stand-in OAuth 2.0 provider for authorization-code webhooks (dev/oauth-standin.ts) at
   * https://oauth.standin.test; off unless given (dev/main.ts turns it on) */
  oauthStandIn?: Partial<OAuthStandInOptions>;
}

export interface AppInfo {
  appId: string;
  adminPages: AdminPageDef[];
  resources: { key: string; dir: string }[];
  triggers: { key: string; events: string[] }[];
  scheduled: { key: string; interval: string }[];
  consumers: { key: string; queue: string }[];
  webTriggers: { key: string; url: string }[];
  admins: string[];
  systemAccountId: string;
  cloudId: string;
  environmentId: string;
}

export interface ForgeHost {
  /** Calls the jira:adminPage resolver's `functionKey` definition as @forge/bridge's invoke would. */
  invoke(functionKey: string, payload?: unknown, accountId?: string): Promise<unknown>;
  fireEvent(event: Record<string, unknown>): Promise<{ invocations: number }>;
  runScheduled(moduleKey: string): Promise<void>;
  addAuditRecords(records: unknown[]): void;
  failJira(rule: { pathPrefix: string; status: number; retryAfter?: number; times?: number; body?: unknown }): void;
  advance(seconds: number): Promise<{ processed: number }>;
  settle(): Promise<{ processed: number }>;
  stats(): HostStats;
  now(): Date;
  listen(port: number): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
  /** What the manifest declares, for the host page and tools. */
  appInfo(): AppInfo;
  /** The front-end context the bridge's getContext answers with. */
  frontendContext(accountId?: string): Record<string, unknown>;
  /** The URL `webTrigger.getUrl(moduleKey)` answers: `<host url>/x1/<id>` (the host must listen to serve it). */
  webTriggerUrl(moduleKey: string): string;
  /** Which webtrigger module a `/x1/<id>` URL id belongs to. */
  webTriggerForId(id: string): string | undefined;
  /** Runs a webtrigger module's function with the request Forge would build, answering what Forge would send. */
  callWebTrigger(moduleKey: string, request: WebTriggerHttpRequest): Promise<WebTriggerHttpResponse>;
  /** The Slack OAuth stand-in, unless turned off. */
  slack(): SlackStandIn | undefined;
  /** The stand-in OAuth provider, when on (options.oauthStandIn). */
  oauthStandIn(): OAuthStandIn | undefined;
}

type DueItem =
  | { kind: 'queue'; dueAt: number; seq: number; event: QueuedEvent }
  | { kind: 'trigger-retry'; dueAt: number; seq: number; retry: TriggerRetry }
  | { kind: 'scheduled'; dueAt: number; seq: number; moduleKey: string };

const MAX_ITEMS_PER_DRAIN = 100_000;
const RECENT_ERRORS = 20;

class LocalForgeHost implements ForgeHost, HostBackend {
  private readonly app: AppModel;
  private readonly state: PersistedState;
  private readonly clock: HostClock;
  private readonly kvs: KvsService;
  private readonly queue: QueueService;
  private readonly jira: JiraStub;
  private readonly egress: EgressPolicy;
  private readonly invoker: Invoker;
  private readonly admins: string[];
  private readonly strictness: Strictness;
  private readonly random: () => number;
  /** in memory only: after a restart, what was running is simply due again */
  private readonly runningEvents = new Set<number>();
  private readonly runningByKey = new Map<string, number>();
  private readonly runningScheduled = new Set<string>();
  private readonly runningTriggers = new Set<number>();
  private durableWrite?: Promise<void>;
  private lock: Promise<unknown> = Promise.resolve();
  private readonly recentErrors: (InvocationFailure & { at: string })[] = [];
  private saveTimer?: NodeJS.Timeout;
  private tickTimer?: NodeJS.Timeout;
  private closed = false;
  private server?: { close(): Promise<void> };
  private baseUrl?: string;
  private readonly slackStandIn?: SlackStandIn;
  private readonly oauthProvider?: OAuthStandIn;
  private readonly restoreVariables: () => void;

  constructor(private readonly options: ForgeHostOptions) {
    this.app = loadManifest(path.resolve(options.appDir));
    this.strictness = resolveStrictness(options.strictness);
    this.random = seededRandom(this.strictness.seed);
    const mode = options.clock ?? 'real';
    const saved = options.stateDir ? loadState(options.stateDir) : undefined;
    const start = mode === 'manual' ? (saved?.clockNow ?? options.startTime?.getTime() ?? Date.now()) : Date.now();
    this.state = saved ?? freshState(start);
    this.clock = new HostClock(mode, start);
    this.admins = options.admins && options.admins.length > 0 ? [...options.admins] : ['local-admin'];
    const now = () => this.clock.now();
    const changed = () => this.markDirty();
    this.kvs = new KvsService(this.state.kvs, now, this.state.counters, changed, this.strictness.expiredReadableSeconds * 1000);
    this.queue = new QueueService(this.state.queue, now, this.state.counters, changed, (queueName) => {
      const long = this.app.consumers.some((c) => c.queue === queueName && (this.app.functions.get(c.functionKey)?.timeoutSeconds ?? 55) > 55);
      return long ? 100 * 1024 : undefined;
    });
    this.jira = new JiraStub(this.state.audit, this.admins, this.state.counters, now, () => this.siteUrl(), changed);
    this.oauthProvider = options.oauthStandIn ? new OAuthStandIn(options.oauthStandIn, now) : undefined;
    // The stand-in provider's host counts as allowed egress, like a routed host; it is answered in process.
    this.egress = new EgressPolicy(this.app.egressBackend, { ...(options.routes ?? {}), ...(this.oauthProvider ? { [OAUTH_STANDIN_HOST]: 'http://oauth-standin.invalid' } : {}) });
    this.invoker = new Invoker(
      this.app,
      this,
      { appId: this.app.appId, environmentId: LOCAL_ENVIRONMENT_ID, installationId: this.installationId(), cloudId: LOCAL_CLOUD_ID },
      () => [...this.egress.backendEntries],
      this.state.counters,
      options.timeScale ?? 1,
      (failure) => this.recordFailure(failure),
    );
    this.slackStandIn = options.slack === false ? undefined : new SlackStandIn({ ...SLACK_STANDIN_DEFAULTS, ...options.slack }, now);
    this.restoreVariables = applyVariables(options.variables ?? {});
    this.initSchedules();
    registerBackend(this);
    if (mode === 'real') {
      this.tickTimer = setInterval(() => void this.exclusive(() => this.drain(this.clock.now())).catch(() => undefined), options.tickMs ?? 250);
      this.tickTimer.unref();
    }
    this.markDirty();
  }

  private recordFailure(failure: InvocationFailure): void {
    this.recentErrors.push({ ...failure, at: new Date(this.clock.now()).toISOString() });
    if (this.recentErrors.length > RECENT_ERRORS) this.recentErrors.shift();
    if (this.options.logErrors) console.error(`[forge-local] ${failure.functionKey} (${failure.moduleKey}) ${failure.kind}: ${failure.stack ?? failure.message}`);
    this.markDirty();
  }

  // ---- scheduling -------------------------------------------------------------------------

  private initSchedules(): void {
    const now = this.clock.now();
    for (const s of this.app.scheduled) {
      const every = INTERVAL_SECONDS[s.interval] * 1000;
      const next = this.state.scheduledNext[s.key];
      if (next === undefined) this.state.scheduledNext[s.key] = now + every;
      // After a long stop of a real-clock host, run once rather than replaying every missed run.
      else if (next < now - every) this.state.scheduledNext[s.key] = now;
    }
    for (const key of Object.keys(this.state.scheduledNext)) {
      if (!this.app.scheduled.some((s) => s.key === key)) delete this.state.scheduledNext[key];
    }
  }

  /** The earliest due item that may start now: not already running, its concurrency key not at its
   * limit. Queue events stay stored while they run, so a crash leaves them to be delivered again. */
  private nextRunnable(until: number): DueItem | undefined {
    const candidates: DueItem[] = [];
    const q = this.queue.nextDue(until, (e) => !this.runningEvents.has(e.seq) && this.concurrencyAllows(e));
    if (q) candidates.push({ kind: 'queue', dueAt: q.dueAt, seq: q.seq, event: q });
    for (const r of this.state.triggerRetries) if (r.dueAt <= until && !this.runningTriggers.has(r.seq)) candidates.push({ kind: 'trigger-retry', dueAt: r.dueAt, seq: r.seq, retry: r });
    for (const [moduleKey, dueAt] of Object.entries(this.state.scheduledNext)) {
      if (dueAt <= until && !this.runningScheduled.has(moduleKey)) candidates.push({ kind: 'scheduled', dueAt, seq: 0, moduleKey });
    }
    candidates.sort((a, b) => a.dueAt - b.dueAt || a.seq - b.seq);
    return candidates[0];
  }

  private concurrencyAllows(e: QueuedEvent): boolean {
    if (!e.concurrency) return true;
    return (this.runningByKey.get(e.concurrency.key) ?? 0) < e.concurrency.limit;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs everything due at or before `until` on a pool of `strictness.workers`, moving a manual clock to
   * each item's due time as it starts. Work due within `overlapMs` of the clock starts while other work
   * still runs (time passes while functions run); later work waits until the running work is done, so
   * a manual clock never jumps far ahead of a running function. `until` may be a function: settle asks
   * "due now?" afresh each time, so with the real clock the work that an item pushes runs in the same
   * settle. Answers once nothing runs and nothing more is due.
   */
  private async drain(until: number | (() => number)): Promise<number> {
    let processed = 0;
    const running = new Set<Promise<void>>();
    for (;;) {
      while (!this.closed && running.size < this.strictness.workers && processed < MAX_ITEMS_PER_DRAIN) {
        const item = this.nextRunnable(typeof until === 'number' ? until : until());
        if (!item) break;
        if (running.size > 0 && item.dueAt > this.clock.now() + this.strictness.overlapMs) break;
        this.clock.setNow(item.dueAt);
        const run: Promise<void> = this.process(item)
          .catch((e: unknown) => this.recordFailure({ functionKey: '(host)', moduleKey: item.kind, kind: 'error', message: e instanceof Error ? e.message : String(e) }))
          .finally(() => running.delete(run));
        running.add(run);
        processed++;
      }
      if (running.size === 0) break;
      await Promise.race(running);
    }
    return processed;
  }

  private async process(item: DueItem): Promise<void> {
    if (item.kind === 'queue') await this.deliver(item.event);
    else if (item.kind === 'trigger-retry') {
      // The entry stays stored while the trigger runs, so a host that dies meanwhile runs it again.
      const r = item.retry;
      this.runningTriggers.add(r.seq);
      try {
        // A delayed first delivery carries no retryContext; a retry does.
        const event = r.retryCount === 0 ? { ...r.event } : { ...r.event, retryContext: { retryCount: r.retryCount, retryReason: r.retryReason, retryData: r.retryData } };
        this.state.counters.triggers.invocations++;
        const outcome = await this.invoker.run({ functionKey: r.functionKey, moduleKey: r.moduleKey, kind: 'trigger', args: [event, this.backendContext()] });
        if (this.closed) return;
        this.state.triggerRetries = this.state.triggerRetries.filter((x) => x !== r);
        this.afterTrigger(r.moduleKey, r.functionKey, r.event, r.retryCount, outcome);
        this.markDirty();
      } finally {
        this.runningTriggers.delete(r.seq);
      }
    } else {
      const s = this.app.scheduled.find((x) => x.key === item.moduleKey);
      if (!s) {
        delete this.state.scheduledNext[item.moduleKey];
        return;
      }
      this.state.scheduledNext[s.key] = item.dueAt + INTERVAL_SECONDS[s.interval] * 1000;
      this.markDirty();
      this.runningScheduled.add(s.key);
      try {
        await this.runScheduledNow(s.key);
      } finally {
        this.runningScheduled.delete(s.key);
      }
    }
  }

  /** Maybe stores a second delivery of `event`. Half of them run at once, beside the first (returned to
   * be started now); the other half are due up to a minute later. */
  private maybeDuplicate(event: QueuedEvent): QueuedEvent | undefined {
    if (event.duplicate || this.strictness.duplicateRate === 0 || this.random() >= this.strictness.duplicateRate) return undefined;
    const beside = this.random() < 0.5;
    const twin = this.queue.duplicate(event, this.clock.now() + (beside ? 0 : Math.ceil(this.random() * 60) * 1000));
    return beside ? twin : undefined;
  }

  private async deliver(event: QueuedEvent): Promise<void> {
    const consumers = this.app.consumers.filter((c) => c.queue === event.queueName);
    if (consumers.length === 0) {
      this.queue.dropNoConsumer(event);
      return;
    }
    this.runningEvents.add(event.seq);
    const twin = this.maybeDuplicate(event);
    const twinRun = twin ? this.deliver(twin) : undefined;
    const key = event.concurrency?.key;
    if (key !== undefined) this.runningByKey.set(key, (this.runningByKey.get(key) ?? 0) + 1);
    try {
      let retry: { delay: number; reason: string; data?: unknown } | undefined;
      for (const c of consumers) {
        const outcome = await this.invoker.run({ functionKey: c.functionKey, moduleKey: c.key, kind: 'consumer', args: [this.asyncEvent(event), this.backendContext()] });
        const requested = outcome.kind === 'ok' ? asInvocationError(outcome.value) : undefined;
        if (requested) retry ??= { delay: clampRetryAfter(requested.retryAfter), reason: requested.retryReason ?? 'FUNCTION_RETRY_REQUEST', data: requested.retryData };
        else if (outcome.kind !== 'ok') {
          retry ??= { delay: platformBackoffSeconds(event.retryCount), reason: outcome.kind === 'timeout' ? 'FUNCTION_TIME_OUT' : 'FUNCTION_PLATFORM_UNKNOWN_ERROR' };
        }
      }
      if (this.closed) return;
      if (retry) this.queue.retry(event, retry.delay, retry.reason, retry.data);
      else this.queue.succeeded(event);
    } finally {
      this.runningEvents.delete(event.seq);
      if (key !== undefined) this.runningByKey.set(key, (this.runningByKey.get(key) ?? 1) - 1);
      await twinRun;
    }
  }

  private asyncEvent(event: QueuedEvent): Record<string, unknown> {
    return {
      body: event.body,
      queueName: event.queueName,
      jobId: event.jobId,
      eventId: event.eventId,
      ...(event.delayInSeconds !== undefined ? { delayInSeconds: event.delayInSeconds } : {}),
      ...(event.concurrency ? { concurrency: event.concurrency } : {}),
      ...(event.retryCount > 0
        ? {
            retryContext: {
              retryCount: event.retryCount,
              retryReason: event.retryReason,
              retryData: event.retryData,
              retentionWindow: {
                startTime: new Date(event.firstPushedAt).toISOString(),
                remainingTimeMs: Math.max(0, event.firstPushedAt + 24 * 3600 * 1000 - this.clock.now()),
              },
            },
          }
        : {}),
    };
  }

  private afterTrigger(moduleKey: string, functionKey: string, event: Record<string, unknown>, retryCount: number, outcome: Outcome): void {
    const retry = outcome.kind === 'ok' ? asInvocationError(outcome.value) : undefined;
    if (outcome.kind === 'ok' && !retry) return;
    // Forge retries a product-event trigger only when it returns InvocationError, or when the platform
    // saw a time-out (or out-of-memory); an error the function throws ends that event.
    if (outcome.kind === 'error') {
      this.state.counters.triggers.failed++;
      this.markDirty();
      return;
    }
    if (retryCount >= TRIGGER_MAX_RETRIES) {
      this.state.counters.triggers.dropped++;
      this.markDirty();
      return;
    }
    const delay = retry ? clampRetryAfter(retry.retryAfter) : platformBackoffSeconds(retryCount);
    const reason = retry ? (retry.retryReason ?? 'FUNCTION_RETRY_REQUEST') : 'FUNCTION_TIME_OUT';
    this.state.triggerRetries.push({
      seq: ++this.state.seq,
      moduleKey,
      functionKey,
      event,
      dueAt: this.clock.now() + delay * 1000,
      retryCount: retryCount + 1,
      retryReason: reason,
      retryData: retry?.retryData,
    });
    this.state.counters.triggers.retries++;
    this.markDirty();
  }

  // ---- invocations ------------------------------------------------------------------------

  /**
   * Each fresh local state is its own installation, as a reinstall is on Forge: a warm runtime that serves
   * two installations (or two hosts in one test process) must not mix what it remembers of each.
   */
  private installationId(): string {
    return (this.state.installationId ??= LOCAL_INSTALLATION_ID);
  }

  private installContext(): string {
    return `ari:cloud:jira::site/${LOCAL_CLOUD_ID}`;
  }

  private backendContext(accountId?: string): Record<string, unknown> {
    return {
      installContext: this.installContext(),
      installation: { id: this.installationId(), contexts: [this.installContext()] },
      ...(accountId ? { principal: { accountId } } : {}),
    };
  }

  private siteUrl(): string {
    return this.baseUrl ?? 'https://forge-local.atlassian.net';
  }

  private adminPage(): AdminPageDef & { resolverFunctionKey: string } {
    const page = this.app.adminPages.find((p) => p.resolverFunctionKey);
    if (!page?.resolverFunctionKey) throw new Error('Forge local host: manifest.yml has no jira:adminPage with a resolver function');
    return { ...page, resolverFunctionKey: page.resolverFunctionKey };
  }

  frontendContext(accountId?: string): Record<string, unknown> {
    const page = this.app.adminPages[0];
    const moduleKey = page?.key ?? 'admin-page';
    return {
      accountId: accountId ?? this.admins[0],
      cloudId: LOCAL_CLOUD_ID,
      localId: `ari:cloud:ecosystem::extension/${this.app.appId}/${LOCAL_ENVIRONMENT_ID}/static/${moduleKey}`,
      locale: 'en-US',
      moduleKey,
      siteUrl: this.siteUrl(),
      timezone: 'UTC',
      environmentId: LOCAL_ENVIRONMENT_ID,
      environmentType: 'DEVELOPMENT',
      extension: { type: 'jira:adminPage' },
    };
  }

  webTriggerUrl(moduleKey: string): string {
    return `${this.baseUrl ?? 'https://forge-local-webtrigger.invalid'}/x1/${webTriggerId(this.installationId(), moduleKey)}`;
  }

  webTriggerForId(id: string): string | undefined {
    return this.app.webTriggers.find((w) => webTriggerId(this.installationId(), w.key) === id)?.key;
  }

  async callWebTrigger(moduleKey: string, request: WebTriggerHttpRequest): Promise<WebTriggerHttpResponse> {
    const def = this.app.webTriggers.find((w) => w.key === moduleKey);
    if (!def) throw new HostInputError(`manifest.yml has no webtrigger "${moduleKey}"`);
    const event = webTriggerEvent(request, `/x1/${webTriggerId(this.installationId(), moduleKey)}`);
    // A web trigger has no user: Forge attaches no Atlassian account, so asUser() cannot work in it.
    const outcome = await this.invoker.run({ functionKey: def.functionKey, moduleKey: def.key, kind: 'webtrigger', args: [event, this.backendContext()] });
    await this.durable();
    return webTriggerAnswer(def, outcome);
  }

  slack(): SlackStandIn | undefined {
    return this.slackStandIn;
  }

  oauthStandIn(): OAuthStandIn | undefined {
    return this.oauthProvider;
  }

  async invoke(functionKey: string, payload?: unknown, accountId?: string): Promise<unknown> {
    const page = this.adminPage();
    const user = accountId ?? this.admins[0];
    const event = { call: { functionKey, payload }, context: { ...this.frontendContext(user), moduleKey: page.key } };
    const outcome = await this.invoker.run({
      functionKey: page.resolverFunctionKey,
      moduleKey: page.key,
      kind: 'resolver',
      accountId: user,
      args: [event, this.backendContext(user)],
    });
    await this.durable();
    if (outcome.kind === 'ok') return outcome.value;
    if (outcome.kind === 'timeout') throw new Error(`Resolver "${functionKey}" timed out after ${outcome.limitSeconds} s (Forge's limit for resolvers)`);
    throw outcome.error;
  }

  /**
   * Hands a product event to every trigger subscribed to it, as Forge does: an event over 200 KB is
   * dropped (and counted), and with a delivery delay the triggers run later. Answers once what the
   * triggers did (or the delayed event) is durable in FORGE_LOCAL_DIR.
   */
  async fireEvent(event: Record<string, unknown>): Promise<{ invocations: number }> {
    const eventType = event.eventType;
    if (typeof eventType !== 'string' || !eventType) throw new Error('fireEvent: the event needs an eventType, e.g. "avi:jira:created:issue"');
    const counters = this.state.counters.triggers;
    counters.events++;
    if (Buffer.byteLength(JSON.stringify(event)) > PRODUCT_EVENT_MAX_BYTES) {
      counters.oversized++;
      await this.durable();
      return { invocations: 0 };
    }
    const triggers = this.app.triggers.filter((t) => t.events.includes(eventType));
    const delayMs = Math.round(this.random() * this.strictness.productEventDelaySeconds) * 1000;
    const runs: Promise<void>[] = [];
    for (const t of triggers) {
      if (t.ignoreSelf && event.atlassianId === SYSTEM_ACCOUNT_ID) {
        counters.ignoredSelf++;
        continue;
      }
      if (delayMs > 0) {
        counters.delayed++;
        const dueAt = this.clock.now() + delayMs;
        this.state.triggerRetries.push({ seq: ++this.state.seq, moduleKey: t.key, functionKey: t.functionKey, event, dueAt, retryCount: 0, retryReason: '' });
        runs.push(Promise.resolve());
        continue;
      }
      counters.invocations++;
      runs.push(
        this.invoker
          .run({ functionKey: t.functionKey, moduleKey: t.key, kind: 'trigger', args: [{ ...event }, this.backendContext()] })
          .then((outcome) => this.afterTrigger(t.key, t.functionKey, event, 0, outcome)),
      );
    }
    await Promise.all(runs);
    await this.durable();
    return { invocations: runs.length };
  }

  private async runScheduledNow(moduleKey: string): Promise<void> {
    const s = this.app.scheduled.find((x) => x.key === moduleKey);
    if (!s) throw new Error(`Forge local host: manifest.yml has no scheduledTrigger "${moduleKey}"`);
    this.state.counters.scheduled.runs++;
    // Scheduled triggers are not retried on Forge: the outcome is only counted.
    await this.invoker.run({
      functionKey: s.functionKey,
      moduleKey: s.key,
      kind: 'scheduled',
      args: [{ context: { cloudId: LOCAL_CLOUD_ID, moduleKey: s.key } }, this.backendContext()],
    });
    this.markDirty();
  }

  runScheduled(moduleKey: string): Promise<void> {
    return this.runScheduledNow(moduleKey);
  }

  addAuditRecords(records: unknown[]): void {
    this.jira.addAuditRecords(records);
  }

  addAuditRecordsReturning(records: unknown[]): AuditRecord[] {
    return this.jira.addAuditRecords(records);
  }

  failJira(rule: { pathPrefix: string; status: number; retryAfter?: number; times?: number; body?: unknown }): void {
    const parsed: JiraFailureRule = jiraFailureRuleSchema.parse(rule);
    this.jira.fail(parsed);
  }

  advance(seconds: number): Promise<{ processed: number }> {
    if (this.clock.mode !== 'manual') return Promise.reject(new Error('advance() needs the manual clock (FORGE_LOCAL_CLOCK=manual)'));
    if (!Number.isFinite(seconds) || seconds < 0) return Promise.reject(new HostInputError('advance(seconds) needs a non-negative number of seconds'));
    return this.exclusive(async () => {
      const target = this.clock.now() + seconds * 1000;
      if (target > MAX_DATE_MS) {
        const most = Math.floor((MAX_DATE_MS - this.clock.now()) / 1000);
        throw new HostInputError(`advance(seconds): ${seconds} seconds would move the clock past the last time a Date can hold; at most ${most} seconds from ${new Date(this.clock.now()).toISOString()}`);
      }
      const processed = await this.drain(target);
      this.clock.setNow(target);
      this.markDirty();
      return { processed };
    });
  }

  settle(): Promise<{ processed: number }> {
    return this.exclusive(async () => ({ processed: await this.drain(() => this.clock.now()) }));
  }

  stats(): HostStats {
    const c = this.state.counters;
    return {
      systemAccountId: SYSTEM_ACCOUNT_ID,
      clock: { mode: this.clock.mode, now: new Date(this.clock.now()).toISOString() },
      invocations: structuredClone(c.invocations),
      kvs: { ...c.kvs },
      queue: { ...c.queue, pending: this.queue.pending() },
      triggers: { ...c.triggers },
      scheduled: { ...c.scheduled },
      egress: { ...c.egress },
      jira: { ...c.jira },
      recentErrors: this.recentErrors.map((e) => ({ at: e.at, functionKey: e.functionKey, moduleKey: e.moduleKey, kind: e.kind, message: e.message })),
    };
  }

  now(): Date {
    return new Date(this.clock.now());
  }

  appInfo(): AppInfo {
    return {
      appId: this.app.appId,
      adminPages: this.app.adminPages.map((p) => ({ ...p })),
      resources: this.app.resources.map((r) => ({ key: r.key, dir: path.resolve(this.app.appDir, r.path) })),
      triggers: this.app.triggers.map((t) => ({ key: t.key, events: [...t.events] })),
      scheduled: this.app.scheduled.map((s) => ({ key: s.key, interval: s.interval })),
      consumers: this.app.consumers.map((c) => ({ key: c.key, queue: c.queue })),
      webTriggers: this.app.webTriggers.map((w) => ({ key: w.key, url: this.webTriggerUrl(w.key) })),
      admins: [...this.admins],
      systemAccountId: SYSTEM_ACCOUNT_ID,
      cloudId: LOCAL_CLOUD_ID,
      environmentId: LOCAL_ENVIRONMENT_ID,
    };
  }

  async listen(port: number): Promise<{ port: number; url: string }> {
    if (this.server) throw new Error('Forge local host: already listening');
    const { startServer } = await import('./server');
    const started = await startServer(this, port);
    this.server = started;
    this.baseUrl = started.url;
    return { port: started.port, url: started.url };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Let a running drain finish its current item first.
    await this.lock.catch(() => undefined);
    this.closed = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.flush();
    if (this.server) await this.server.close();
    this.server = undefined;
    this.clock.uninstall();
    this.restoreVariables();
    unregisterBackend(this);
  }

  // ---- persistence ------------------------------------------------------------------------

  private markDirty(): void {
    if (!this.options.stateDir || this.closed || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.flush();
    }, 50);
    this.saveTimer.unref();
  }

  /** Resolves once the state as it is now is on disk (one write serves every caller waiting for it). */
  private durable(): Promise<void> {
    if (!this.options.stateDir || this.closed) {
      this.markDirty();
      return Promise.resolve();
    }
    this.durableWrite ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.durableWrite = undefined;
        if (!this.closed) this.flush();
        resolve();
      }),
    );
    return this.durableWrite;
  }

  private flush(): void {
    if (!this.options.stateDir) return;
    this.kvs.sweep();
    if (this.clock.mode === 'manual') this.state.clockNow = this.clock.now();
    saveState(this.options.stateDir, this.state);
  }

  // ---- the SDK's backend ------------------------------------------------------------------

  async forgeFetch(ctx: InvocationContext | undefined, target: ForgeTarget, pathWithQuery: string, init: RequestInit | undefined): Promise<Response> {
    const bodyText = await readBodyText(init);
    if (target.type === 'kvs') {
      const reply = this.kvs.handle(pathWithQuery, parseJson(bodyText));
      return jsonResponse(reply.status, reply.body);
    }
    if (target.type === 'fpp' && target.remote === 'stargate' && pathWithQuery.startsWith('/webhook/queue/')) {
      return this.queue.handle(pathWithQuery, bodyText);
    }
    if (target.type === 'fpp' && target.remote === 'stargate' && pathWithQuery === '/graphql') {
      const answer = handleWebTriggerGraphql(bodyText, (key) => (this.app.webTriggers.some((w) => w.key === key) ? this.webTriggerUrl(key) : undefined), () =>
        this.app.webTriggers.map((w) => ({ triggerKey: w.key, url: this.webTriggerUrl(w.key) })),
      );
      if (answer) return answer;
    }
    if (target.type === 'fpp' && target.remote === 'jira') {
      let caller: Caller = { kind: 'app' };
      if (target.provider === 'user') {
        const accountId = target.accountId ?? ctx?.accountId;
        caller = accountId ? { kind: 'user', accountId } : { kind: 'anonymous' };
      }
      return this.jira.handle(caller, pathWithQuery, init);
    }
    return jsonResponse(
      501,
      { message: `The local Forge host does not implement ${target.type ?? '?'}/${target.remote ?? '?'} ${pathWithQuery}` },
      { 'forge-proxy-error': 'NOT_IMPLEMENTED_LOCALLY' },
    );
  }

  async egressFetch(ctx: InvocationContext, input: unknown, init: RequestInit | undefined, original: typeof fetch): Promise<Response> {
    const counters = this.state.counters.egress;
    const url = requestUrl(input);
    counters.requests++;
    this.markDirty();
    const decision = this.egress.decide(url);
    if (!decision.allowed) {
      counters.blocked++;
      return blockedResponse(url, decision.reason);
    }
    ctx.egressRequests++;
    if (ctx.egressRequests > ctx.egressAllowance) {
      counters.rateLimited++;
      return egressRateLimitedResponse(url);
    }
    const destination = decision.routedTo ?? decision.url;
    if (this.oauthProvider && new URL(decision.url).hostname === OAUTH_STANDIN_HOST) {
      const request = typeof Request !== 'undefined' && input instanceof Request ? input : undefined;
      return standInResponse(this.oauthProvider, init?.method ?? request?.method ?? 'GET', new URL(decision.url).pathname, new Headers(init?.headers ?? request?.headers), await readBodyText(init));
    }
    if (!decision.routedTo && this.slackStandIn && new URL(decision.url).hostname === 'slack.com') {
      if (new URL(decision.url).pathname === '/api/oauth.v2.access') {
        const request = typeof Request !== 'undefined' && input instanceof Request ? input : undefined;
        return this.slackStandIn.access(init?.method ?? request?.method ?? 'GET', new Headers(init?.headers ?? request?.headers), await readBodyText(init));
      }
      return jsonResponse(404, { ok: false, error: 'unknown_method', note: 'the local Slack stand-in serves only /api/oauth.v2.access' });
    }
    try {
      if (typeof Request !== 'undefined' && input instanceof Request) return await original(new Request(destination, input), init);
      return await original(destination, init);
    } catch (e) {
      counters.errors++;
      throw e;
    }
  }
}

export async function createForgeHost(options: ForgeHostOptions): Promise<ForgeHost> {
  return new LocalForgeHost(options);
}
