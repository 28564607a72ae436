import { fromHealthTransition, healthTransition, type AlertedWebhook } from '../../domain/events/health-alerts';
import type { EndpointHealth } from '../../domain/delivery/health';
import type { Logger } from '../ports';
import type { Outbox } from './outbox';

/**
 * Failure alerts enter the pipeline the app's own configuration events use (the outbox), so they are
 * de-duplicated, filtered and fanned out like any event.
 *
 * Why two webhooks failing cannot alert each other forever: an alert is made only when a webhook's
 * stored health crosses failing (once per failure run) or back to healthy (once per recovery). A failed
 * alert to B adds one failure to B's current run; it crosses B's line at most once, and B's own alert
 * about that goes to A, which is already failing, so it starts nothing new. Each further alert needs a
 * real success in between, so the alerts are bounded by real recoveries, not by each other.
 */
export class HealthAlerts {
  constructor(
    private readonly outbox: Outbox,
    private readonly logger: Logger,
    /** Whether any webhook lists the alert's type: alerts are opt-in (OPT_IN_ALERT_TYPES), so most sites listen to none. */
    private readonly listened: (eventType: string) => Promise<boolean>,
  ) {}

  /** Whether stored -> next crosses a line that some webhook listens for (asked before anything is read again). */
  async wanted(stored: EndpointHealth, next: EndpointHealth): Promise<boolean> {
    const transition = healthTransition(stored, next);
    return transition !== undefined && this.listened(transition === 'failing' ? 'app.webhook.failing' : 'app.webhook.recovered');
  }

  /** Records the alert for stored -> next, if that crosses a line; answers whether it did. */
  async record(webhook: AlertedWebhook, stored: EndpointHealth, next: EndpointHealth, at: string): Promise<boolean> {
    const transition = healthTransition(stored, next);
    if (transition === undefined) return false;
    // No listener, no event: an alert nobody lists would cost an outbox write, a drain and its queue
    // events for nothing, and a burst of failures (many webhooks behind one receiver) comes all at once.
    if (!(await this.wanted(stored, next))) return false;
    const normalised = fromHealthTransition(webhook, transition, stored, next, at);
    if (!normalised.ok) {
      this.logger.error('Could not record a webhook health alert', { webhookId: webhook.id, problem: normalised.error });
      return false;
    }
    await this.outbox.accept([normalised.event]);
    return true;
  }
}
