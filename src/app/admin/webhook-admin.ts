import { ApiFailure } from '../../contract/envelope';
import type { AdminOutput, AdminParsedInput } from '../../contract/functions';
import { WEBHOOKS_MAX } from '../../domain/webhook/limits';
import { generateSecret } from '../../domain/webhook/secret-rules';
import type { AdminDeps } from './admin-deps';
import type { ConfigAuditType, ConfigChange } from './config-audit';
import { withConfigLock } from './config-lock';
import { planCreate, type PlanContext } from './plan-create';
import { planUpdate } from './plan-update';
import type { WebhookRecord } from './webhook-record';
import { WebhookRepository } from './webhook-repository';
import { DeliveryStats } from '../delivery/delivery-stats';
import { neverDelivered } from '../../domain/delivery/health';
import { toWebhookView } from './webhook-view-mapper';
import type { DestinationView } from '../../contract/destination-view';
import { destinationModules } from '../../domain/destinations/registry';
import { checkTemplateFor } from './template-check';

/** The use cases behind webhooks.list/get/create/update/delete and secrets.random. */
/** Every destination kind's form contract, from the registry. */
const destinationViews = (): DestinationView[] =>
  destinationModules().map((module) => ({
    kind: module.kind,
    label: module.label,
    summary: module.summary,
    common: { ...module.common },
    fields: module.fields.map((field) => ({ ...field })),
    urlAlwaysMasked: module.forcedMask !== undefined,
    ...(module.batch ? { batch: { ...module.batch } } : {}),
  }));

export class WebhookAdmin {
  readonly repository: WebhookRepository;
  private readonly stats: DeliveryStats;

  constructor(private readonly deps: AdminDeps) {
    this.repository = new WebhookRepository(deps.kvs, deps.secrets, deps.clock);
    this.stats = new DeliveryStats(deps.kvs);
  }

  async list(): Promise<AdminOutput<'webhooks.list'>> {
    const now = this.deps.clock.now();
    const stored = await this.repository.list();
    // One query per webhook (its hourly aggregates) for last success and the 24-hour rate.
    const stats = await Promise.all(stored.map(({ record }) => this.stats.health(record.id, now)));
    const webhooks = stored
      .map(({ record, health }, index) => toWebhookView(record, health, now, stats[index]))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return { webhooks, eventTypes: [...this.deps.eventTypes], destinations: destinationViews() };
  }

  async get(input: AdminParsedInput<'webhooks.get'>): Promise<AdminOutput<'webhooks.get'>> {
    const stored = await this.repository.get(input.id);
    if (!stored) throw notFound(input.id);
    const now = this.deps.clock.now();
    return { webhook: toWebhookView(stored.record, stored.health, now, await this.stats.health(input.id, now)) };
  }

  async create(actor: string, input: AdminParsedInput<'webhooks.create'>): Promise<AdminOutput<'webhooks.create'>> {
    return withConfigLock(this.deps.kvs, actor, async () => {
      const others = (await this.repository.list()).map((stored) => stored.record);
      if (others.length >= WEBHOOKS_MAX) {
        throw new ApiFailure('LIMIT', `This site already has ${others.length} webhooks, the most the app delivers to. Delete one you no longer need first.`);
      }
      const template = await checkTemplateFor(input.kind, input.template, undefined, input.events);
      const plan = planCreate(input, { ...this.planContext(others), template });
      await this.repository.save(plan.record, plan.material);
      await this.recordAudit('webhook.created', actor, plan.record, plan.changes);
      const health = neverDelivered(new Date(plan.record.createdAt));
      return { webhook: toWebhookView(plan.record, health, this.deps.clock.now()) };
    });
  }

  async update(actor: string, input: AdminParsedInput<'webhooks.update'>): Promise<AdminOutput<'webhooks.update'>> {
    return withConfigLock(this.deps.kvs, actor, async () => {
      const all = await this.repository.list();
      const stored = all.find((candidate) => candidate.record.id === input.id);
      if (!stored) throw notFound(input.id);
      const material = (await this.repository.getMaterial(input.id)) ?? { url: '', secrets: [], sensitiveHeaders: {} };
      const others = all.filter((candidate) => candidate.record.id !== input.id).map((candidate) => candidate.record);
      // A kept template is run again when the events change: it must fit every type it will shape.
      const template =
        input.template !== undefined || input.events !== undefined ? await checkTemplateFor(stored.record.kind, input.template, stored.record.template, input.events ?? stored.record.events) : undefined;
      const plan = planUpdate(stored.record, stored.health, material, input, { ...this.planContext(others), template });
      if (!plan) return { webhook: toWebhookView(stored.record, stored.health, this.deps.clock.now()) };
      // Who switched it off, kept with disabledAt (planUpdate sets or drops that) for the health view.
      const record = plan.record;
      if (!record.enabled && stored.record.enabled) record.disabledBy = actor;
      else if (record.enabled) delete record.disabledBy;
      await this.repository.save(plan.record, plan.material);
      if (plan.resetHealth) await this.repository.resetHealth(plan.record.id);
      for (const event of plan.audit) await this.recordAudit(event.type, actor, plan.record, event.changes);
      const fresh = await this.repository.get(plan.record.id);
      const now = this.deps.clock.now();
      // The same last success and 24-hour rate as webhooks.get: an edit does not blank them in the page.
      return { webhook: toWebhookView(plan.record, fresh?.health ?? stored.health, now, await this.stats.health(plan.record.id, now)) };
    });
  }

  async delete(actor: string, input: AdminParsedInput<'webhooks.delete'>): Promise<AdminOutput<'webhooks.delete'>> {
    return withConfigLock(this.deps.kvs, actor, async () => {
      const stored = await this.repository.get(input.id);
      if (!stored) throw notFound(input.id);
      await this.repository.delete(input.id);
      await this.recordAudit('webhook.deleted', actor, stored.record, [{ field: 'name', from: stored.record.name }, { field: 'url', from: stored.record.displayUrl }]);
      return { id: input.id };
    });
  }

  /** Not stored: the admin copies it to the receiver, then saves it with the webhook. */
  randomSecret(): AdminOutput<'secrets.random'> {
    return { secret: generateSecret((size) => this.deps.ids.randomBytes(size)) };
  }

  private planContext(others: readonly WebhookRecord[]): PlanContext {
    return {
      now: this.deps.clock.now(),
      ids: this.deps.ids,
      egress: this.deps.egress,
      catalogue: this.deps.eventTypes.map((info) => info.type),
      others,
    };
  }

  /**
   * The change is already saved; a sink failure must not make the admin believe it was not (they
   * would save twice). It is logged loudly so the gap in the audit trail is visible.
   */
  private async recordAudit(type: ConfigAuditType, actor: string, record: WebhookRecord, changes: ConfigChange[]): Promise<void> {
    try {
      await this.deps.audit.record({ type, actorAccountId: actor, webhookId: record.id, webhookName: record.name, at: this.deps.clock.now().toISOString(), changes });
    } catch (error) {
      this.deps.logger.error('config audit event not recorded', { type, webhookId: record.id, error: error instanceof Error ? error.name : 'unknown' });
    }
  }
}

const notFound = (id: string): ApiFailure =>
  new ApiFailure('NOT_FOUND', `No webhook has the id ${id}; it may have been deleted. Reload the list.`, { id: 'No webhook has this id.' });
