import { nextHopDelaySeconds, planNextAttempt } from '../../domain/delivery';
import { healthAt, recordAttempt, type EndpointHealth } from '../../domain/delivery/health';
import type { Clock, HttpSender, IdSource, KeyValueStore, Logger } from '../ports';
import type { PipelineEvent } from '../pipeline/audit-event';
import type { StoredBatch } from '../pipeline/drain';
import { RETENTION_SECONDS, batchKey, deliveryHopKey, deliveryLogKey } from '../pipeline/keys';
import type { PushBudget } from '../pipeline/push-budget';
import { deliveryJobSchema, messageIdFor, type DeliveryJob, type DeliveryMessage, type DeliveryTask } from './job';
import { fitJobRecord } from './job-record-size';
import { sendAttempt } from './send-attempt';
import type { DeliveryTarget, DeliveryTargets } from './target';

export interface DeliverJobDeps {
  store: KeyValueStore;
  clock: Clock;
  ids: IdSource;
  http: HttpSender;
  targets: DeliveryTargets;
  budget: PushBudget;
  requeue: (task: DeliveryTask, delaySeconds: number) => Promise<void>;
  renderBody: (kind: DeliveryTarget['kind'], event: PipelineEvent) => string;
  remainingMs: () => number;
  /** Waits between two sends to one rate-limited destination (Slack: about one message a second). */
  sleep: (ms: number) => Promise<void>;
  logger: Logger;
  /** Records app.webhook.disabled when this job's attempts disabled the webhook (410, 5 days of failures). */
  recordDisabled: (webhook: { id: string; name: string }, at: string, reason: string) => Promise<void>;
}

export type DeliverJobResult = { status: 'done' } | { status: 'requeued'; delaySeconds: number } | { status: 'wait'; retryAfterSeconds: number };

/** Slack allows about one message per second per webhook (short bursts tolerated). */
const SLACK_SPACING_MS = 1_000;
/** Leave room to save the job record before Forge stops the invocation. */
const TIME_RESERVE_MS = 20_000;

/** Batches recently read by this runtime (Forge reuses warm runtimes): at most a few MB. */
const BATCH_CACHE_SIZE = 8;
const batchCache = new Map<string, Map<string, PipelineEvent>>();

/** When this runtime last sent to each Slack webhook: pacing holds across consecutive jobs, not only within one. */
const lastSlackSendMs = new Map<string, number>();

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
    const stored = deliveryJobSchema.safeParse(await store.get<unknown>(deliveryLogKey(task.jobId)));
    // A hop of a job waiting for its next retry (or a duplicate of a finished job): nothing to send, so
    // no batch, webhook or log record is read or written; the job is only queued on.
    if (stored.success && !stored.data.messages.some((m) => m.status === 'pending' && this.isDue(m))) return this.scheduleRest(task, stored.data);

    const events = await this.loadEvents(task.batchId);
    const job = stored.success ? stored.data : newJob(task, clock.now().toISOString(), events);

    const target = await targets.get(task.webhookId);
    const healthBefore = target ? healthAt(target.health ?? (await targets.health(task.webhookId)), clock.now()) : undefined;
    let health = healthBefore;
    if (!target) skipPending(job, 'Webhook deleted');
    else if (health?.state === 'disabled') skipPending(job, `Webhook disabled: ${health.reason ?? 'endpoint failing'}`);
    else if (!target.enabled) skipPending(job, 'Webhook switched off');
    else health = await this.sendDue(job, target, events, health as EndpointHealth);

    job.updatedAt = clock.now().toISOString();
    // Health (and the audit event of a disable) before the job record: a run killed in between is run
    // again by Forge, and only a job record that still shows the messages due makes the rerun reach this
    // point. The disable event goes first of all, so a rerun that finds the webhook disabled has it.
    if (target && health && JSON.stringify(health) !== JSON.stringify(healthBefore)) {
      if (health.state !== healthBefore?.state) {
        this.deps.logger.warn('Endpoint health changed', { webhookId: target.id, from: healthBefore?.state, to: health.state, reason: health.reason });
        // Disabling a webhook changes the app's configuration: audited like an admin's switch-off.
        if (health.state === 'disabled') await this.deps.recordDisabled(target, health.since ?? job.updatedAt, health.reason ?? 'endpoint failing');
      }
      await targets.setHealth(target.id, health);
    }
    await store.set(deliveryLogKey(job.jobId), fitJobRecord(job), { ttlSeconds: RETENTION_SECONDS });
    return this.scheduleRest(task, job);
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

  private async sendDue(job: DeliveryJob, target: DeliveryTarget, events: Map<string, PipelineEvent>, initial: EndpointHealth): Promise<EndpointHealth> {
    const { clock, http, ids } = this.deps;
    let health = initial;
    for (const message of job.messages) {
      if (message.status !== 'pending' || !this.isDue(message)) continue;
      // An attempt may take the webhook's whole timeout (up to 30 s): start one only if the record can
      // still be saved after it, or Forge stops the invocation, the attempts are lost and sent again.
      if (this.deps.remainingMs() < TIME_RESERVE_MS + target.timeoutSeconds * 1000) break;
      const event = events.get(message.eventId);
      if (!event) {
        message.status = 'failed';
        message.note = 'The event payload is no longer stored (kept 14 days)';
        continue;
      }
      if (target.kind === 'slack') {
        const last = lastSlackSendMs.get(target.id);
        const wait = last === undefined ? 0 : last + SLACK_SPACING_MS - performance.now();
        if (wait > 0) await this.deps.sleep(wait);
        lastSlackSendMs.set(target.id, performance.now());
      }
      const now = clock.now();
      const { attempt, outcome } = await sendAttempt(http, {
        target,
        event,
        msgId: message.msgId,
        attemptNumber: message.attempts.length + 1,
        now,
        renderBody: this.deps.renderBody,
      });
      health = recordAttempt(health, outcome, now);
      if (outcome.kind === 'delivered') {
        message.status = 'delivered';
        delete message.nextAttemptAt;
        message.attempts.push(attempt);
        continue;
      }
      const plan = planNextAttempt({ attemptNumber: attempt.number, outcome, random: ids.random() });
      // Ids, classes and statuses only: never the URL, headers or bodies (they may hold credentials).
      this.deps.logger.warn('Delivery attempt failed', {
        webhookId: target.id,
        messageId: message.msgId,
        eventType: message.eventType,
        attempt: attempt.number,
        ...(outcome.httpStatus === undefined ? {} : { httpStatus: outcome.httpStatus }),
        errorClass: outcome.errorClass,
        ...('retryInSeconds' in plan ? { retryInSeconds: plan.retryInSeconds } : { gaveUp: plan.giveUp }),
      });
      if ('giveUp' in plan) {
        attempt.outcome = 'failed';
        message.status = 'failed';
        message.note = plan.giveUp === 'attempts-exhausted' ? 'Gave up after the last scheduled retry' : outcome.message;
        delete message.nextAttemptAt;
        message.attempts.push(attempt);
        if (outcome.kind === 'disable') {
          skipPending(job, `Webhook disabled: ${outcome.message}`);
          break;
        }
        continue;
      }
      attempt.outcome = 'retry';
      message.nextAttemptAt = new Date(now.getTime() + plan.retryInSeconds * 1000).toISOString();
      message.attempts.push(attempt);
      // The endpoint is failing right now: the other due messages wait for the same retry instead of
      // each spending a timeout on it (they keep their own attempt counts).
      for (const other of job.messages) {
        if (other !== message && other.status === 'pending' && this.isDue(other)) other.nextAttemptAt = message.nextAttemptAt;
      }
    }
    return health;
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
    await this.deps.requeue({ ...task, hopToken }, delaySeconds);
    await this.deps.store.set(deliveryHopKey(job.jobId), hopToken, { ttlSeconds: RETENTION_SECONDS });
    return { status: 'requeued', delaySeconds };
  }
}
