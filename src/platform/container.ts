import { AuditLogPoll } from '../app/audit-poll/poll-audit-log';
import { WebhookRepository } from '../app/admin/webhook-repository';
import { DeliverJob } from '../app/delivery/deliver-job';
import type { DeliveryTask } from '../app/delivery/job';
import { RepositoryTargets } from '../app/delivery/repository-targets';
import { OutboxConfigAudit } from '../app/pipeline/config-audit-outbox';
import { AlertListeners } from '../app/pipeline/alert-listeners';
import { HealthAlerts } from '../app/pipeline/health-alert-outbox';
import { OutboxDrain } from '../app/pipeline/drain';
import { Outbox } from '../app/pipeline/outbox';
import { PushBudget } from '../app/pipeline/push-budget';
import { OAuthTokens } from '../app/delivery/oauth-tokens';
import { SiteInfo } from '../app/site/site-info';
import { Settings } from '../app/settings/settings';
import { forgeHttpSender } from './forge-http';
import { fetchAuditRecords, fetchSiteBaseUrl } from './forge-jira';
import { forgeKeyValueStore, forgeSecretStore } from './forge-kvs-store';
import { pushToQueue } from './forge-queue';
import { adminPagePath, consoleLogger, cryptoIds, installationKey, remainingTimeMs, systemClock } from './forge-runtime';
import type { DrainPromiseMemo } from '../app/pipeline/drain-marker';
import type { PipelineEvent } from '../app/pipeline/audit-event';

/** Queue keys, as manifest.yml's consumers name them. */
export const PIPELINE_QUEUE = 'audit-pipeline';
export const DELIVERY_QUEUE = 'webhook-delivery';

/** One fan-out at a time: a second drain would find the same outbox page. */
const DRAIN_CONCURRENCY = { key: 'outbox-drain', limit: 1 };
/** One job per webhook at a time: keeps each endpoint's order and pace (Slack: 1 message a second). */
const webhookConcurrency = (webhookId: string) => ({ key: `webhook-${webhookId}`.slice(0, 64), limit: 1 });

const pushDeliveryTasks = (tasks: DeliveryTask[], delayInSeconds = 0) =>
  pushToQueue(
    DELIVERY_QUEUE,
    tasks.map((task) => ({ body: { ...task }, delayInSeconds, concurrency: webhookConcurrency(task.webhookId) })),
  );

/**
 * What this runtime learned of the drain's promise, per installation: Forge reuses a warm runtime across
 * invocations, and may use it for more than one installation of the app.
 */
const drainPromises = new Map<string, { learnedAtMs: number; untilMs: number }>();
const drainPromiseOfInstallation: DrainPromiseMemo = {
  get: () => drainPromises.get(installationKey()),
  set: (value) => {
    if (drainPromises.size > 1000) drainPromises.clear();
    drainPromises.set(installationKey(), value);
  },
};

/** The composition root: the use cases wired to Forge (KVS, async events, fetch, Jira). */
export const createServices = () => {
  const store = forgeKeyValueStore;
  const clock = systemClock;
  const logger = consoleLogger;
  const budget = new PushBudget(store, clock);
  const repository = new WebhookRepository(store, forgeSecretStore, clock);
  const targets = new RepositoryTargets(repository);
  const pushDrain = (delayInSeconds = 0, chain?: string) =>
    pushToQueue(PIPELINE_QUEUE, [{ body: { drain: true, ...(chain ? { chain } : {}) }, delayInSeconds, concurrency: DRAIN_CONCURRENCY }]);
  /**
   * The last resort of a trigger whose event KVS refused five times: the event rides a queue event (no
   * KVS write) to the pipeline consumer, which records it later and is retried by Forge for up to 24 h.
   */
  const handOver = (event: PipelineEvent, delayInSeconds: number) => pushToQueue(PIPELINE_QUEUE, [{ body: { record: event }, delayInSeconds }]);
  const outbox = new Outbox({ store, clock, budget, logger, pushDrain, drainPromise: drainPromiseOfInstallation });
  const drain = new OutboxDrain({
    store,
    clock,
    budget,
    logger,
    pushDrain,
    remainingMs: remainingTimeMs,
    webhooks: () => targets.fanOutList(),
    pushJobs: (tasks) => pushDeliveryTasks(tasks),
    setAside: outbox.setAside,
  });
  const tokens = new OAuthTokens({ secrets: forgeSecretStore, kvs: store, http: forgeHttpSender, clock, logger, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), memoryKey: installationKey });
  const alertListeners = new AlertListeners({ clock, memoryKey: installationKey, query: (type) => repository.anyEnabledLists(type) });
  const site = new SiteInfo({ store, clock, logger, fetchBaseUrl: fetchSiteBaseUrl, adminPagePath, memoryKey: installationKey });
  const deliverJob = new DeliverJob({
    store,
    clock,
    ids: cryptoIds,
    http: forgeHttpSender,
    targets,
    budget,
    logger,
    tokens,
    site,
    remainingMs: remainingTimeMs,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    requeue: (task, delaySeconds) => pushDeliveryTasks([task], delaySeconds),
    recordDisabled: (webhook, at, reason, health) => new OutboxConfigAudit(outbox, logger).recordAutoDisable(webhook, at, reason, health),
    healthAlerts: new HealthAlerts(outbox, logger, (type) => alertListeners.listened(type)),
  });
  const poll = new AuditLogPoll({ store, clock, outbox, logger, remainingMs: remainingTimeMs, fetchPage: fetchAuditRecords });
  const settings = new Settings(store, clock, poll);
  return { handOver, tokens, site, settings, store, secrets: forgeSecretStore, clock, logger, ids: cryptoIds, budget, repository, targets, outbox, drain, deliverJob, poll, pushDeliveryTasks };
};

export type Services = ReturnType<typeof createServices>;

let services: Services | undefined;
/** Built once per runtime: Forge reuses warm runtimes between invocations. */
export const getServices = (): Services => (services ??= createServices());
