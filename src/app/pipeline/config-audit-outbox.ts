import { randomUUID } from 'node:crypto';
import { fromConfigChange, stableId, type AppConfigEventType } from '../../domain/events';
import type { ConfigAuditEvent, ConfigAuditSink, ConfigValue } from '../admin/config-audit';
import type { Logger } from '../ports';
import type { Outbox } from './outbox';
import type { EndpointHealth } from '../../domain/delivery/health';

const display = (value: ConfigValue | undefined): string | undefined =>
  value === undefined || value === null ? undefined : Array.isArray(value) ? value.join(', ') : String(value);

/** The app's own configuration changes enter the same pipeline as Jira's, as app.* events. */
export class OutboxConfigAudit implements ConfigAuditSink {
  constructor(
    private readonly outbox: Outbox,
    private readonly logger: Logger,
  ) {}

  async record(change: ConfigAuditEvent): Promise<void> {
    const normalised = fromConfigChange({
      // Each recorded change is a change of its own (resolvers are not retried): two identical toggles in
      // the same millisecond must not share an id, or receivers that de-duplicate by id would drop one.
      id: stableId('app', change.type, change.webhookId, change.at, randomUUID()),
      type: `app.${change.type}` as AppConfigEventType,
      actorAccountId: change.actorAccountId,
      webhookId: change.webhookId,
      webhookName: change.webhookName,
      at: change.at,
      changes: change.changes.map((c) => {
        const from = display(c.from);
        const to = display(c.to);
        return { field: c.field, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
      }),
    });
    if (!normalised.ok) {
      this.logger.error('Could not record a configuration change as an audit event', { type: change.type, problem: normalised.error });
      return;
    }
    await this.outbox.accept([normalised.event]);
  }

  /**
   * The delivery engine disabled a webhook (410 Gone, 5 days of failures): app.webhook.disabled with no
   * actor (the app did it) and the reason. Its id is a hash of the webhook and the time the health changed,
   * so a re-run of the same consumer invocation records the same event id.
   */
  async recordAutoDisable(webhook: { id: string; name: string; kind?: string; displayUrl?: string }, at: string, reason: string, health?: EndpointHealth): Promise<void> {
    // What the failure alerts say (health-alerts.ts), so a receiver of all three reads one shape.
    const details = Object.fromEntries(
      Object.entries({
        kind: webhook.kind,
        url: webhook.displayUrl,
        state: health ? 'disabled' : undefined,
        since: health?.since,
        failingSince: health?.failingSince,
        consecutiveFailures: health?.consecutiveFailures,
      }).filter((entry): entry is [string, string | number] => entry[1] !== undefined),
    );
    const normalised = fromConfigChange({
      ...(Object.keys(details).length > 0 ? { details } : {}),
      type: 'app.webhook.disabled',
      webhookId: webhook.id,
      webhookName: webhook.name,
      at,
      reason,
      changes: [{ field: 'enabled', from: true, to: false }],
    });
    if (!normalised.ok) {
      this.logger.error('Could not record a configuration change as an audit event', { type: 'webhook.disabled', problem: normalised.error });
      return;
    }
    await this.outbox.accept([normalised.event]);
  }
}
