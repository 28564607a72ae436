import Resolver from '@forge/resolver';
import { guarded, createAdminHandlers } from '../app/admin';
import { DeliveryLog } from '../app/deliveries/delivery-log';
import { rebuildRequestBody } from '../app/deliveries/delivery-view';
import { DeliveryStats } from '../app/delivery/delivery-stats';
import { sendTestEvent } from '../app/deliveries/test-send';
import { OutboxConfigAudit } from '../app/pipeline/config-audit-outbox';
import { ADMIN_FUNCTION_KEYS, UNKNOWN_FUNCTION_MESSAGE, fail, isAdminFunctionKey, type AdminFunctionKey } from '../contract';
import { EVENT_CATALOGUE, fromConfigChange } from '../domain/events';
import { getServices } from '../platform/container';
import { forgeEgressPolicy, forgeHttpSender } from '../platform/forge-http';
import { forgeAdminCheck } from '../platform/forge-jira';
import { createOAuthCodeHandlers } from './oauth-code-service';
import { createSlackOAuthHandlers } from './slack-oauth-service';

type Handler = (accountId: string | undefined, payload: unknown) => Promise<unknown>;

/** Every admin function: site admins only, zod-checked input, the { ok, data | error } envelope. */
const buildHandlers = (): Record<AdminFunctionKey, Handler> => {
  const services = getServices();
  const { store, clock, logger, ids, outbox, targets, repository, budget, settings } = services;
  const audit = new OutboxConfigAudit(outbox, logger);
  const guard = { admin: forgeAdminCheck, logger };
  const deliveryLog = new DeliveryLog({
    store,
    clock,
    budget,
    pushJobs: (tasks) => services.pushDeliveryTasks(tasks),
    webhookExists: async (id) => (await repository.get(id)) !== undefined,
    requestBody: (job, message) => rebuildRequestBody({ store, targets, site: services.site }, job, message),
  });
  const adminDeps = {
    kvs: store,
    secrets: services.secrets,
    clock,
    ids,
    egress: forgeEgressPolicy,
    admin: forgeAdminCheck,
    audit,
    logger,
    eventTypes: EVENT_CATALOGUE,
  };
  return {
    ...createAdminHandlers(adminDeps),
    ...createSlackOAuthHandlers(adminDeps),
    ...createOAuthCodeHandlers(adminDeps),
    'webhooks.test': guarded(guard, 'webhooks.test', (input, actor) =>
      sendTestEvent({ store, clock, ids, http: forgeHttpSender, targets, tokens: services.tokens, site: services.site }, input.id, actor),
    ),
    'deliveries.list': guarded(guard, 'deliveries.list', (input) => deliveryLog.list(input)),
    'deliveries.get': guarded(guard, 'deliveries.get', (input) => deliveryLog.get(input.id)),
    'deliveries.retry': guarded(guard, 'deliveries.retry', async (input) => ({ delivery: await deliveryLog.retry(input.id) })),
    'deliveries.recover': guarded(guard, 'deliveries.recover', (input) => deliveryLog.recover(input.webhookId, input.since, input.cursor, { to: input.to, onlyFailed: input.onlyFailed })),
    'deliveries.stats': guarded(guard, 'deliveries.stats', async (input) => {
      const ids = input.webhookId ? [input.webhookId] : (await repository.list()).map((webhook) => webhook.record.id);
      const buckets = await new DeliveryStats(store).series(ids, input.hours, clock.now());
      return { ...(input.webhookId ? { webhookId: input.webhookId } : {}), hours: input.hours, buckets: buckets.map(({ lastDeliveredAt: _last, ...bucket }) => bucket) };
    }),
    'settings.get': guarded(guard, 'settings.get', async () => ({ settings: await settings.view() })),
    'settings.update': guarded(guard, 'settings.update', async (input, actor) => {
      const { before, after } = await settings.update(input);
      const changed = fromConfigChange({
        type: 'app.settings.updated',
        actorAccountId: actor,
        at: clock.now(),
        changes: [
          { field: 'auditPoll.enabled', from: String(before.auditPoll.enabled), to: String(after.auditPoll.enabled) },
          ...(input.backfillDays ? [{ field: 'backfillDays', to: String(input.backfillDays) }] : []),
        ],
      });
      if (changed.ok) await outbox.accept([changed.event]);
      return { settings: await settings.view() };
    }),
  };
};

let handlers: Record<AdminFunctionKey, Handler> | undefined;

const resolver = new Resolver();
// Services are built on first call, not at import: the Forge runtime exists only inside an invocation.
for (const key of ADMIN_FUNCTION_KEYS) {
  resolver.define(key, ({ payload, context }) => {
    handlers ??= buildHandlers();
    const accountId = typeof context.accountId === 'string' ? context.accountId : undefined;
    return handlers[key](accountId, payload) as Promise<never>;
  });
}

const definitions = resolver.getDefinitions();
type ResolverCall = Parameters<typeof definitions>[0];

/**
 * Forge's entry for the admin page. @forge/resolver looks a function key up with `key in functions`,
 * which reaches Object.prototype: "constructor" or "toString" would run a prototype method with the
 * caller's payload and context and answer them back, to anyone. So only the contract's own keys (own
 * properties of the contract's list) reach the resolver; any other key answers NOT_FOUND, naming nothing
 * of the call, before the admin check (there is nothing to protect behind it).
 */
export const adminResolver = async (call: ResolverCall, backendRuntimePayload?: Record<string, unknown>): Promise<unknown> => {
  const functionKey: unknown = (call as { call?: { functionKey?: unknown } } | undefined)?.call?.functionKey;
  if (!isAdminFunctionKey(functionKey)) return fail('NOT_FOUND', UNKNOWN_FUNCTION_MESSAGE);
  return definitions(call, backendRuntimePayload);
};
