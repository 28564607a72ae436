import type { EndpointHealth } from '../../domain/delivery/health';
import { destinationModule } from '../../domain/destinations/registry';
import type { WebhookKind } from '../../domain/webhook/model';
import type { WebhookRepository } from '../admin/webhook-repository';
import type { FanOutWebhook } from '../pipeline/drain';
import type { DeliveryTarget, DeliveryTargets } from './target';

/** The delivery engine's view of the webhook repository. */
export class RepositoryTargets implements DeliveryTargets {
  constructor(private readonly repository: WebhookRepository) {}

  async get(webhookId: string): Promise<DeliveryTarget | undefined> {
    const config = await this.repository.getDeliveryConfig(webhookId);
    if (!config) return undefined;
    return {
      id: config.id,
      name: config.name,
      // Checked, never defaulted: a kind this version does not know (a record from a newer version) is an
      // UnknownDestinationError, which the engine turns into skipped messages that say so.
      kind: destinationModule(config.kind).kind as WebhookKind,
      url: config.url,
      displayUrl: config.displayUrl,
      method: config.method,
      timeoutSeconds: config.timeoutSeconds,
      signing: config.signing,
      secrets: config.secrets.map((secret) => secret.value),
      ...(config.authorization ? { authorization: config.authorization } : {}),
      headers: config.headers,
      settings: config.settings,
      ...(config.batchEvents === undefined ? {} : { batchEvents: config.batchEvents }),
      ...(config.template === undefined ? {} : { template: config.template }),
      ...(config.retryPolicy ? { retryPolicy: config.retryPolicy } : {}),
      enabled: config.enabled,
      health: config.health,
    };
  }

  async health(webhookId: string): Promise<EndpointHealth> {
    const stored = await this.repository.get(webhookId);
    return stored?.health ?? { state: 'healthy' };
  }

  setHealth(webhookId: string, health: EndpointHealth): Promise<void> {
    return this.repository.setHealth(webhookId, health);
  }

  /** What fan-out needs of every webhook: its subscription and whether it takes deliveries now. */
  async fanOutList(): Promise<FanOutWebhook[]> {
    const webhooks = await this.repository.list();
    return webhooks.map(({ record, health }) => {
      const disabled = health.state === 'disabled';
      const active = record.enabled && !disabled;
      return {
        id: record.id,
        name: record.name,
        events: record.events,
        ...(record.filters ? { filters: record.filters } : {}),
        active,
        ...(active ? {} : { inactiveReason: disabled ? `Webhook disabled: ${health.reason ?? 'endpoint failing'}` : 'Webhook switched off' }),
      };
    });
  }
}
