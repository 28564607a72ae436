import { FORGE_EGRESS } from '../../../forge-limits';
import { nextHopDelaySeconds, type DeliveryOutcome, type NextAttemptPlan } from '../../domain/delivery';
import { exhaustedNote, planNextAttemptFor, type WebhookRetryPolicy } from '../../domain/delivery/webhook-retry-policy';
import type { DestinationModule, RenderContext } from '../../domain/destinations/contract';
import { numberSetting } from '../../domain/destinations/settings-schema';
import { customDestination } from '../../domain/destinations/custom';
import { UnknownDestinationError, destinationModule } from '../../domain/destinations/registry';
import { compileCredentials } from '../../domain/delivery/scrub-credentials';
import { healthAt, recordAttempt, type EndpointHealth } from '../../domain/delivery/health';
import { healthTransition, type AlertedWebhook } from '../../domain/events/health-alerts';
import type { Clock, HttpSender, IdSource, KeyValueStore, Logger } from '../ports';
import type { PipelineEvent } from '../pipeline/audit-event';
import type { StoredBatch } from '../pipeline/drain';
import { RETENTION_SECONDS, batchKey, deliveryHopKey, deliveryLogKey } from '../pipeline/keys';
import type { PushBudget } from '../pipeline/push-budget';
import { messageIdFor, type DeliveryAttempt, type DeliveryJob, type DeliveryMessage, type DeliveryTask } from './job';
import { readJobRecord } from './job-record';
import { fitJobRecord } from './job-record-size';
import { credentialValues } from './credentials';
import { RunStats } from './delivery-stats';
import { sendRequest, type RequestResult } from './send-attempt';
import type { BearerTokens } from './oauth-tokens';
import type { DeliveryTarget, DeliveryTargets } from './target';

export interface DeliverJobDeps {
  store: KeyValueStore;
  clock: Clock;
  ids: IdSource;
  http: HttpSender;
  targets: DeliveryTargets;
  budget: PushBudget;
  requeue: (task: DeliveryTask, delaySeconds: number) => Promise<void>;
  /** OAuth 2.0 client-credentials tokens, for kinds that authenticate with them (Sentinel, custom with OAuth). */
  tokens?: BearerTokens;
  /** The site's links for message bodies (Jira links, the delivery log); without it bodies carry none. */
  site?: { context(): Promise<RenderContext> };
  remainingMs: () => number;
  /** Waits between two sends to one rate-limited destination (Slack: about one message a second). */
  sleep: (ms: number) => Promise<void>;
  logger: Logger;
  /** Records app.webhook.disabled when this job's attempts disabled the webhook (410, 5 days of failures). */
  recordDisabled: (webhook: { id: string; name: string; kind?: string; displayUrl?: string }, at: string, reason: string, health?: EndpointHealth) => Promise<void>;
  /** Records app.webhook.failing / app.webhook.recovered when stored health crosses that line (health-alert-outbox.ts). */
  healthAlerts?: {
    wanted(stored: EndpointHealth, next: EndpointHealth): Promise<boolean>;
    record(webhook: AlertedWebhook, stored: EndpointHealth, next: EndpointHealth, at: string): Promise<boolean>;
  };
}

/** `webhook-id` of a request: the message id of a lone event; for a batch, its first message and size (the same on a retry of the same events). */
const requestIdOf = (messages: readonly DeliveryMessage[]): string => {
  const [first] = messages;
  if (!first) throw new Error('A request carries at least one message');
  return messages.length === 1 ? first.msgId : `bat_${first.msgId.slice('msg_'.length)}_${messages.length}`;
};

/**
 * The requests of a run: one per event; or (kinds that batch) consecutive due events up to the
 * webhook's events per request and the kind's byte cap, a body measured as the sum of its events' own
 * bodies (the separators are a byte or two each), then checked whole, a batch over the cap halved; or
 * (chat kinds, when more than the webhook's digest threshold are due at once) digests of up to the
 * kind's digest size, whose bodies the kind keeps within its own message limits.
 */
export const groupRequests = (
  kind: DestinationModule,
  target: DeliveryTarget,
  due: readonly DeliveryMessage[],
  events: ReadonlyMap<string, PipelineEvent>,
  context: RenderContext = {},
): DeliveryMessage[][] => {
  if (kind.digest) {
    // A burst (more than the webhook's threshold due at once) goes as digests; anything less, one post each.
    const threshold = numberSetting(target.settings, kind.digest.thresholdSetting, kind.digest.defaultThreshold);
    if (threshold <= 0 || due.length <= threshold) return due.map((message) => [message]);
    const size = kind.digest.maxEvents;
    return Array.from({ length: Math.ceil(due.length / size) }, (_, index) => due.slice(index * size, (index + 1) * size));
  }
  if (!kind.batch) return due.map((message) => [message]);
  const limit = Math.max(1, Math.min(target.batchEvents ?? kind.batch.defaultEvents, kind.batch.maxEvents));
  const { maxBytes } = kind.batch;
  const bytesOf = (messages: readonly DeliveryMessage[]): number => {
    try {
      return Buffer.byteLength(kind.render(messages.map((m) => ({ msgId: m.msgId, event: events.get(m.eventId) as PipelineEvent })), target.settings, context));
    } catch {
      // A body that cannot be rendered fails in sendRequest with a message that says so.
      return 0;
    }
  };
  const groups: DeliveryMessage[][] = [];
  let current: DeliveryMessage[] = [];
  let currentBytes = 0;
  for (const message of due) {
    const bytes = bytesOf([message]) + 2;
    if (current.length > 0 && (current.length >= limit || currentBytes + bytes > maxBytes)) {
      groups.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(message);
    currentBytes += bytes;
  }
  if (current.length > 0) groups.push(current);
  const fitted: DeliveryMessage[][] = [];
  const fit = (group: DeliveryMessage[]): void => {
    if (group.length > 1 && bytesOf(group) > maxBytes) {
      const half = Math.ceil(group.length / 2);
      fit(group.slice(0, half));
      fit(group.slice(half));
    } else {
      fitted.push(group);
    }
  };
  groups.forEach(fit);
  return fitted;
};

export type DeliverJobResult = { status: 'done' } | { status: 'requeued'; delaySeconds: number } | { status: 'wait'; retryAfterSeconds: number };

/** Leave room to save the job record before Forge stops the invocation. */
const TIME_RESERVE_MS = 20_000;
/**
 * Sends of one job in flight at once to a custom webhook (its kind's pacing.parallel): a receiver that
 * takes 300 ms per message costs a quarter of the function time, while a small receiver is never hit by
 * more than a few requests at once.
 */
export const CUSTOM_PARALLEL_SENDS = customDestination.pacing.parallel;
/**
 * Sends overlap once an answer took this long: below it a send costs little function time, and one at a
 * time keeps a receiver's messages in the order of the events (which overlapping sends cannot promise).
 */
export const OVERLAP_AFTER_MS = 250;
/**
 * Forge allows 100 egress requests per runtime minute of the function's timeout per invocation: 100 is
 * what any function gets. One run sends each message at most once, so a job (JOB_SIZE) stays within it.
 */
export const SENDS_PER_RUN = FORGE_EGRESS.requestsPerRuntimeMinutePerInvocation;

/** A request of this run (one event, or a batch of them), and what came back (a result, or what sendRequest threw). */
interface StartedSend {
  messages: DeliveryMessage[];
  requestId: string;
  now: Date;
  result?: RequestResult;
  error?: unknown;
}

/** The state of one run's sends (sendDue). */
interface SendRun {
  health: EndpointHealth;
  /** A send came back to be retried (or the endpoint is gone): start no more. */
  failingNow: boolean;
  /** A send took OVERLAP_AFTER_MS or more and is not to be retried: the endpoint works but is slow, so sends overlap. */
  slowAnswer: boolean;
  /** Sends in the order they started; `committed` of them are applied to the job. */
  started: StartedSend[];
  committed: number;
  inFlight: Set<Promise<void>>;
  /** Messages whose send is out or not yet applied: a disable leaves them to their own results. */
  messages: Set<DeliveryMessage>;
  disabledNote?: string;
  /** This run's attempt counts and durations per hour, written once at the end of the run. */
  stats: RunStats;
}

/** Batches recently read by this runtime (Forge reuses warm runtimes): at most a few MB. */
const BATCH_CACHE_SIZE = 8;
const batchCache = new Map<string, Map<string, PipelineEvent>>();

/** When this runtime last sent to each paced webhook (Slack): pacing holds across consecutive jobs, not only within one. */
const lastSendMs = new Map<string, number>();

const newJob = (task: DeliveryTask, now: string, events: Map<string, PipelineEvent>): DeliveryJob => ({
  jobId: task.jobId,
  webhookId: task.webhookId,
  webhookName: task.webhookName,
  batchId: task.batchId,
  test: false,
  createdAt: now,
  updatedAt: now,
  messages: task.eventIds.map((eventId, index) => ({
    msgId: messageIdFor(task.jobId, index),
    eventId,
    eventType: events.get(eventId)?.type ?? 'unknown',
    status: 'pending' as const,
    attempts: [],
  })),
});

const skipPending = (job: DeliveryJob, note: string): void => {
  for (const message of job.messages) {
    if (message.status === 'pending') {
      message.status = 'skipped';
      message.note = note;
      delete message.nextAttemptAt;
    }
  }
};

/**
 * The delivery consumer's use case: sends every message of a job that is due, records each attempt,
 * plans retries by the schedule in domain/delivery, and re-queues the job (in hops of at most 900 s) until
 * every message is delivered, failed for good, or skipped. It returns an outcome instead of throwing, so
 * the platform never retries blindly; one write of the job record per round keeps KVS writes low.
 */
export class DeliverJob {
  constructor(private readonly deps: DeliverJobDeps) {}

  async run(task: DeliveryTask): Promise<DeliverJobResult> {
    const { store, clock, targets } = this.deps;
    // Forge delivers a queue event at least once, so a hop can run twice and queue two next hops. The
    // hop key names the one hop that goes on; any other is a duplicate chain and ends here.
    if (task.hopToken !== undefined) {
      const current = await store.get<unknown>(deliveryHopKey(task.jobId));
      if (typeof current === 'string' && current !== task.hopToken) return { status: 'done' };
    }
    const stored = readJobRecord(await store.get<unknown>(deliveryLogKey(task.jobId)));
    // A hop of a job waiting for its next retry (or a duplicate of a finished job): nothing to send, so
    // no batch, webhook or log record is read or written; the job is only queued on.
    if (stored && !stored.messages.some((m) => m.status === 'pending' && this.isDue(m))) return this.scheduleRest(task, stored);

    // Hops and recoveries queue a job by reference only (no event ids: its record lists them). Without
    // the record (expired, or unreadable) there is nothing left to send.
    if (!stored && task.eventIds.length === 0) {
      this.deps.logger.warn('Delivery job has no record to go on from', { jobId: task.jobId, webhookId: task.webhookId });
      return { status: 'done' };
    }
    const events = await this.loadEvents(task.batchId);
    const job = stored ?? newJob(task, clock.now().toISOString(), events);

    let target: DeliveryTarget | undefined;
    let unknownKind: string | undefined;
    try {
      target = await targets.get(task.webhookId);
    } catch (error) {
      if (!(error instanceof UnknownDestinationError)) throw error;
      unknownKind = error.message;
    }
    // As stored (failure alerts compare against it) and as it stands now (15 minutes of failure is failing).
    const storedHealth = target ? (target.health ?? (await targets.health(task.webhookId))) : undefined;
    const healthBefore = storedHealth ? healthAt(storedHealth, clock.now()) : undefined;
    let health = healthBefore;
    const stats = new RunStats(task.webhookId);
    if (unknownKind !== undefined) skipPending(job, unknownKind);
    else if (!target) skipPending(job, 'Webhook deleted');
    else if (health?.state === 'disabled') skipPending(job, `Webhook disabled: ${health.reason ?? 'endpoint failing'}`);
    else if (!target.enabled) skipPending(job, 'Webhook switched off');
    else health = await this.sendDue(job, target, events, health as EndpointHealth, stats);

    job.updatedAt = clock.now().toISOString();
    // Health (and the audit event of a disable) before the job record: a run killed in between is run
    // again by Forge, and only a job record that still shows the messages due makes the rerun reach this
    // point. The disable event goes first of all, so a rerun that finds the webhook disabled has it.
    if (target && health && JSON.stringify(health) !== JSON.stringify(healthBefore)) {
      if (health.state !== healthBefore?.state) {
        this.deps.logger.warn('Endpoint health changed', { webhookId: target.id, from: healthBefore?.state, to: health.state, reason: health.reason });
        // Disabling a webhook changes the app's configuration: audited like an admin's switch-off.
        if (health.state === 'disabled') await this.deps.recordDisabled(target, health.since ?? job.updatedAt, health.reason ?? 'endpoint failing', health);
      }
      if (storedHealth) await this.alertHealthChange(target, storedHealth, health, job.updatedAt);
      await targets.setHealth(target.id, health);
    }
    await store.set(deliveryLogKey(job.jobId), fitJobRecord(job), { ttlSeconds: RETENTION_SECONDS });
    // After the job record: a run killed in between loses its counts rather than counting them twice on
    // the rerun, and a failed stats write never fails (so never repeats) a delivery.
    if (!stats.empty) {
      try {
        await stats.flush(store, this.deps.clock.now().getTime());
      } catch (error) {
        this.deps.logger.warn('Delivery stats not recorded', { webhookId: task.webhookId, error: error instanceof Error ? error.name : 'unknown' });
      }
    }
    return this.scheduleRest(task, job);
  }

  /**
   * A failure alert (failing, recovered) for this run's health write, before the write, like the disable
   * event: a run killed in between is run again and alerts again under the same id (failingSince), which
   * the drain drops. Only the run whose write performs the transition alerts: a twin running side by side
   * that already stored it is seen by reading health again (one read, only on a transition some webhook listens for), and a later
   * re-run reads it as stored and finds no transition at all.
   */
  private async alertHealthChange(target: DeliveryTarget, stored: EndpointHealth, next: EndpointHealth, at: string): Promise<void> {
    const { healthAlerts, targets } = this.deps;
    if (!healthAlerts || healthTransition(stored, next) === undefined || !(await healthAlerts.wanted(stored, next))) return;
    const fresh = await targets.health(target.id);
    if (fresh.state !== stored.state) return;
    await healthAlerts.record({ id: target.id, name: target.name, kind: target.kind, displayUrl: target.displayUrl }, stored, next, at);
  }

  /** A batch never changes once written: the jobs of one fan-out (one per webhook) share one read. */
  private async loadEvents(batchId: string): Promise<Map<string, PipelineEvent>> {
    let events = batchCache.get(batchId);
    if (!events) {
      const batch = await this.deps.store.get<StoredBatch>(batchKey(batchId));
      events = new Map((batch?.events ?? []).map((event) => [event.id, event]));
      // A missing batch is not cached: it may be written a moment later by a drain that is still running.
      if (batch) {
        batchCache.set(batchId, events);
        if (batchCache.size > BATCH_CACHE_SIZE) batchCache.delete(batchCache.keys().next().value as string);
      }
    }
    return events;
  }

  /**
   * Sends the job's due messages, in requests of one event or (kinds that batch) of several, up to the
   * kind's `pacing.parallel` requests at a time (custom webhooks: CUSTOM_PARALLEL_SENDS, so a slow receiver
   * costs fewer function seconds; Slack: one at a time, paced). Results are applied to the job and to
   * health in the order the requests started, whatever order they come back in, so a run's record and
   * health do not depend on network timing (retry jitter is drawn in that order too).
   */
  private async sendDue(job: DeliveryJob, target: DeliveryTarget, events: Map<string, PipelineEvent>, initial: EndpointHealth, stats: RunStats): Promise<EndpointHealth> {
    const { clock, http } = this.deps;
    const kind = destinationModule(target.kind);
    const parallel = kind.pacing.parallel;
    // Compiled once per run, not per attempt: every answer of this target is scrubbed with the same values.
    const credentials = compileCredentials(credentialValues(target));
    const run: SendRun = { health: initial, failingNow: false, slowAnswer: false, started: [], committed: 0, inFlight: new Set(), messages: new Set(), stats };
    const due: DeliveryMessage[] = [];
    for (const message of job.messages) {
      if (message.status !== 'pending' || !this.isDue(message)) continue;
      if (events.has(message.eventId)) {
        due.push(message);
      } else {
        message.status = 'failed';
        message.note = 'The event payload is no longer stored (kept 14 days)';
      }
    }
    const context = due.length > 0 && this.deps.site ? await this.deps.site.context() : {};
    const requests = groupRequests(kind, target, due, events, context);
    let sends = 0;
    for (const messages of requests) {
      // One request at a time until the endpoint has answered slowly in this run: an endpoint that is down
      // then costs one timeout (the others wait for its retry), not `parallel`, and a fast one, where
      // overlap would save little function time, gets the messages in the order of the events.
      while (run.inFlight.size >= (run.slowAnswer ? parallel : 1)) await Promise.race(run.inFlight);
      // The endpoint is failing right now (a request came back to be retried): the other due messages wait
      // for the same retry instead of each spending a timeout on it. Requests in flight are recorded as they come.
      if (run.failingNow) break;
      if (messages.some((message) => message.status !== 'pending' || !this.isDue(message))) continue;
      // An attempt may take the webhook's whole timeout (up to 30 s): start one only if the record can
      // still be saved after it, or Forge stops the invocation, the attempts are lost and sent again.
      // Requests in flight started under the same check, so each of them ends in time as well.
      if (this.deps.remainingMs() < TIME_RESERVE_MS + target.timeoutSeconds * 1000) break;
      // Forge's egress allowance per invocation (the least any function gets): never a refused request.
      if (sends === SENDS_PER_RUN) break;
      if (kind.pacing.spacingMs > 0) {
        const last = lastSendMs.get(target.id);
        const wait = last === undefined ? 0 : last + kind.pacing.spacingMs - performance.now();
        if (wait > 0) await this.deps.sleep(wait);
        lastSendMs.set(target.id, performance.now());
      }
      sends += 1;
      const now = clock.now();
      const requestId = requestIdOf(messages);
      const sent: StartedSend = { messages, requestId, now };
      run.started.push(sent);
      for (const message of messages) run.messages.add(message);
      const attemptNumber = Math.max(...messages.map((message) => message.attempts.length)) + 1;
      const flight: Promise<void> = sendRequest(http, {
        target,
        items: messages.map((message) => ({ msgId: message.msgId, event: events.get(message.eventId) as PipelineEvent })),
        requestId,
        attemptNumber,
        now,
        ...(this.deps.tokens ? { tokens: this.deps.tokens } : {}),
        context,
        credentials,
        summariseDelivered: true,
      }).then(
        (result) => {
          sent.result = result;
          // Decided on arrival (not when applied) so that no new request starts once the endpoint fails.
          const { outcome } = result;
          if (outcome.kind === 'disable' || (outcome.kind === 'retry' && 'retryInSeconds' in planNextAttemptFor({ policy: target.retryPolicy, attemptNumber, outcome, random: 0 }))) {
            run.failingNow = true;
          } else if (result.attempt.durationMs >= OVERLAP_AFTER_MS) {
            run.slowAnswer = true;
          }
        },
        (error: unknown) => {
          sent.error = error;
          run.failingNow = true;
        },
      );
      const tracked = flight.finally(() => {
        run.inFlight.delete(tracked);
        this.applyInOrder(job, target, run);
      });
      run.inFlight.add(tracked);
    }
    while (run.inFlight.size > 0) await Promise.race(run.inFlight);
    this.applyInOrder(job, target, run);
    const failure = run.started.find((s) => s.error !== undefined);
    if (failure) throw failure.error;
    if (run.disabledNote !== undefined) skipPending(job, run.disabledNote);
    return run.health;
  }

  /** Applies the results that have come back, in the order their requests started, up to the first still out. */
  private applyInOrder(job: DeliveryJob, target: DeliveryTarget, run: SendRun): void {
    for (let next = run.started[run.committed]; next && (next.result || next.error !== undefined); next = run.started[run.committed]) {
      run.committed += 1;
      for (const message of next.messages) run.messages.delete(message);
      if (next.result) this.applyRequest(job, target, run, next, next.result);
    }
  }

  /** One request's result: health once for the request, then each event's own outcome. */
  private applyRequest(job: DeliveryJob, target: DeliveryTarget, run: SendRun, sent: StartedSend, result: RequestResult): void {
    run.health = recordAttempt(run.health, result.outcome, sent.now);
    run.stats.request(sent.now, result.attempt.durationMs);
    // One draw per request, so the events of a batch retried whole keep one schedule and travel together again.
    const random = this.deps.ids.random();
    let logged = false;
    sent.messages.forEach((message, index) => {
      const outcome = result.itemOutcomes[index] ?? result.outcome;
      const attempt: DeliveryAttempt = {
        ...result.attempt,
        number: message.attempts.length + 1,
        outcome: outcome.kind === 'delivered' ? 'delivered' : 'retry',
        ...(outcome.kind === 'delivered' ? {} : { errorClass: outcome.errorClass, errorMessage: outcome.message }),
      };
      if (outcome.kind === 'delivered') {
        delete attempt.errorClass;
        delete attempt.errorMessage;
      }
      const plan = this.applyMessage(job, run, message, attempt, outcome, sent.now, random, target.retryPolicy);
      run.stats.attempt(sent.now, attempt.outcome === 'delivered' ? 'delivered' : attempt.outcome === 'failed' ? 'failed' : 'retried');
      if (plan && !logged) {
        logged = true;
        // Ids, classes and statuses only: never the URL, headers or bodies (they may hold credentials).
        this.deps.logger.warn('Delivery attempt failed', {
          webhookId: target.id,
          messageId: sent.requestId,
          eventType: message.eventType,
          ...(sent.messages.length > 1 ? { events: sent.messages.length } : {}),
          attempt: attempt.number,
          ...(outcome.kind !== 'delivered' && outcome.httpStatus !== undefined ? { httpStatus: outcome.httpStatus } : {}),
          ...(outcome.kind !== 'delivered' ? { errorClass: outcome.errorClass } : {}),
          ...('retryInSeconds' in plan ? { retryInSeconds: plan.retryInSeconds } : { gaveUp: plan.giveUp }),
        });
      }
    });
    // Events of one request retried on their own (per-item failures with different delays: a 429 waits
    // longer than a 503) wait for the latest of their times, so they go again together in one request.
    const retried = sent.messages.filter((message) => message.status === 'pending' && message.nextAttemptAt !== undefined);
    const latest = retried.reduce((max, message) => (message.nextAttemptAt !== undefined && message.nextAttemptAt > max ? message.nextAttemptAt : max), '');
    for (const message of retried) message.nextAttemptAt = latest;
  }

  /** Records one event's attempt and plans what comes next for it; answers the plan of a failure. */
  private applyMessage(
    job: DeliveryJob,
    run: SendRun,
    message: DeliveryMessage,
    attempt: DeliveryAttempt,
    outcome: DeliveryOutcome,
    now: Date,
    random: number,
    policy: WebhookRetryPolicy | undefined,
  ): NextAttemptPlan | undefined {
    if (outcome.kind === 'delivered') {
      message.status = 'delivered';
      delete message.nextAttemptAt;
      delete message.note;
      message.attempts.push(attempt);
      return undefined;
    }
    const plan = planNextAttemptFor({ policy, attemptNumber: attempt.number, outcome, random });
    if ('giveUp' in plan) {
      attempt.outcome = 'failed';
      message.status = 'failed';
      message.note = plan.giveUp === 'attempts-exhausted' ? exhaustedNote(policy) : outcome.message;
      delete message.nextAttemptAt;
      message.attempts.push(attempt);
      if (outcome.kind === 'disable') {
        const note = `Webhook disabled: ${outcome.message}`;
        run.disabledNote ??= note;
        // Messages still in flight are left to their own results; skipPending runs again when all are back.
        for (const other of job.messages) {
          if (other.status === 'pending' && !run.messages.has(other)) {
            other.status = 'skipped';
            other.note = note;
            delete other.nextAttemptAt;
          }
        }
      }
      return plan;
    }
    attempt.outcome = 'retry';
    message.nextAttemptAt = new Date(now.getTime() + plan.retryInSeconds * 1000).toISOString();
    message.attempts.push(attempt);
    // The endpoint is failing right now: the other due messages wait for the same retry instead of
    // each spending a timeout on it (they keep their own attempt counts; those in flight get their own).
    // A per-item failure (Elastic's) says nothing of the endpoint: the others go on.
    if (run.failingNow) {
      for (const other of job.messages) {
        if (other !== message && other.status === 'pending' && !run.messages.has(other) && this.isDue(other)) other.nextAttemptAt = message.nextAttemptAt;
      }
    }
    return plan;
  }

  private isDue(message: DeliveryMessage): boolean {
    return !message.nextAttemptAt || Date.parse(message.nextAttemptAt) <= this.deps.clock.now().getTime();
  }

  private async scheduleRest(task: DeliveryTask, job: DeliveryJob): Promise<DeliverJobResult> {
    const pending = job.messages.filter((m) => m.status === 'pending');
    if (pending.length === 0) return { status: 'done' };
    const now = this.deps.clock.now();
    const nextDue = Math.min(...pending.map((m) => (m.nextAttemptAt ? Date.parse(m.nextAttemptAt) : now.getTime())));
    const delaySeconds = nextHopDelaySeconds(new Date(nextDue), now);
    const reservation = await this.deps.budget.reserve(1);
    if (!reservation.granted) return { status: 'wait', retryAfterSeconds: Math.max(reservation.retryAfterSeconds, delaySeconds, 1) };
    // Queue the next hop first, then name it: if this invocation dies in between, the hop key still names
    // this hop, whose redelivery goes on. Two copies of one hop each queue a next hop; the
    // key keeps the last one named, so the chains merge again at the next hop.
    const hopToken = this.deps.ids.id('hop');
    // The record holds the event ids from now on: the hop carries none (a few hundred bytes, not 4 KB).
    await this.deps.requeue({ ...task, eventIds: [], hopToken }, delaySeconds);
    await this.deps.store.set(deliveryHopKey(job.jobId), hopToken, { ttlSeconds: RETENTION_SECONDS });
    return { status: 'requeued', delaySeconds };
  }
}
