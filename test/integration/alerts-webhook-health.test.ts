/**
 * Issue 14, failure alerts: a Slack webhook subscribed to app.webhook.failing hears about another webhook
 * failing, once, and about its recovery; the failing webhook never hears about itself, even subscribed
 * to the alerts; a webhook subscribed to "*" gets no failing or recovered alert (they are opt-in). Run with the host's Forge defaults and with every queue event delivered twice (beside the
 * first or up to a minute later), where "once" must still hold.
 */
import type { Strictness } from '../../dev/strictness';
import { advanceUntil, createWebhook, envelopeOf, flush, getWebhook, issueCreated, startDeliveryBed, type DeliveryBed } from './support/delivery-bed';
import type { Receiver, ReceivedRequest } from './support/receiver';

const FAILING = 'failing.example.test';
const WATCHER = 'watcher.example.test';
const SLACK = 'hooks.slack.com';
const SLACK_URL = 'https://hooks.slack.com/services/T0001ABCD/B0002EFGH/alertsSlackToken12345678';
const ALERTS = ['app.webhook.failing', 'app.webhook.recovered'];

const slackText = (request: ReceivedRequest): string => {
  const body = JSON.parse(request.body) as { text?: unknown };
  return typeof body.text === 'string' ? body.text : '';
};
const slackAlerts = (slack: Receiver, type: string): string[] => [...new Set(slack.requests.map(slackText).filter((text) => text.startsWith(`${type}:`)))];
const alertIds = (receiver: Receiver, type: string, path = '/hook'): string[] => [
  ...new Set(receiver.requests.filter((r) => r.path === path).map(envelopeOf).flatMap((envelope) => (envelope?.type === type ? [envelope.id] : []))),
];

const runs: [string, Partial<Strictness>][] = [
  ['Forge defaults', {}],
  ['every queue event delivered twice', { duplicateRate: 1, workers: 4 }],
];

describe.each(runs)('failure alerts (%s)', (_name, strictness) => {
  let bed: DeliveryBed;
  let failing: Receiver;
  let watcher: Receiver;
  let slack: Receiver;
  beforeEach(async () => {
    bed = await startDeliveryBed([FAILING, WATCHER, SLACK], { strictness });
    failing = bed.receivers[FAILING] as Receiver;
    watcher = bed.receivers[WATCHER] as Receiver;
    slack = bed.receivers[SLACK] as Receiver;
  });
  afterEach(() => bed.close());

  it('Slack hears once that another webhook is failing and once that it recovered; the webhook never hears about itself', async () => {
    // F lists the alerts too, so "never about itself" is the rule at work, not a missing subscription.
    const f = await createWebhook(bed, { name: 'SIEM F', url: `https://${FAILING}/hook?token=abc`, maskUrl: 'query', events: ['issue.created', 'app.webhook.created', ...ALERTS] });
    await bed.admin('webhooks.create', { kind: 'slack', name: '#alerts', url: SLACK_URL, events: ALERTS });
    await createWebhook(bed, { name: 'Watcher', url: `https://${WATCHER}/hook`, events: ALERTS });
    await createWebhook(bed, { name: 'Everything', url: `https://${WATCHER}/all`, events: ['*'] });
    failing.responder = () => ({ status: 503, body: 'down' });

    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    // Retries until 3 requests in a row failed: F turns failing.
    await advanceUntil(bed.host, () => failing.requests.filter((r) => envelopeOf(r)?.type === 'issue.created').length >= 3, 3 * 3600, 30);
    await flush(bed.host);
    expect((await getWebhook(bed, f.id)).health.state).toBe('failing');

    const failingTexts = slackAlerts(slack, 'app.webhook.failing');
    expect(failingTexts).toHaveLength(1);
    expect(failingTexts[0]).toMatch(/Webhook "SIEM F" is failing: .*503.*\(3 failed requests in a row since /);
    const [failingId] = alertIds(watcher, 'app.webhook.failing');
    expect(alertIds(watcher, 'app.webhook.failing')).toHaveLength(1);
    const alert = watcher.requests.map(envelopeOf).find((envelope) => envelope?.id === failingId);
    expect(alert?.data.object).toEqual({ type: 'webhook', id: f.id, name: 'SIEM F' });
    // The masked URL only: the token in the query never leaves in an alert.
    expect(alert?.data.details).toMatchObject({ kind: 'custom', state: 'failing', previousState: 'never-delivered', consecutiveFailures: 3, url: f.url });
    expect(JSON.stringify(watcher.requests.map((r) => r.body))).not.toContain('token=abc');
    if (strictness.duplicateRate === undefined) expect(slack.requests.filter((r) => slackText(r).startsWith('app.webhook.failing:'))).toHaveLength(1);

    // More failures in the same run: no new alert.
    await bed.host.fireEvent(issueCreated(2));
    await flush(bed.host);
    await bed.host.advance(3600);
    expect(slackAlerts(slack, 'app.webhook.failing')).toHaveLength(1);

    // F's receiver recovers: the next retry succeeds, and Slack hears it once.
    failing.responder = () => ({ status: 200, body: 'ok' });
    await advanceUntil(bed.host, () => slackAlerts(slack, 'app.webhook.recovered').length > 0, 6 * 3600, 60);
    await flush(bed.host);
    await bed.host.advance(600);
    expect((await getWebhook(bed, f.id)).health.state).toBe('healthy');
    const recovered = slackAlerts(slack, 'app.webhook.recovered');
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatch(/Webhook "SIEM F" recovered: delivering again after failing since /);
    expect(alertIds(watcher, 'app.webhook.recovered')).toHaveLength(1);
    expect(slackAlerts(slack, 'app.webhook.failing')).toHaveLength(1);

    // "*" is every audit event but not these alerts: they go only to webhooks that list them.
    expect(watcher.requests.some((r) => r.path === '/all' && envelopeOf(r)?.type === 'issue.created')).toBe(true);
    for (const type of ALERTS) expect(alertIds(watcher, type, '/all')).toEqual([]);

    // F is subscribed to the alerts and was sent what else it lists, never an alert about itself.
    const ownAlerts = failing.requests.map(envelopeOf).filter((envelope) => envelope !== undefined && ALERTS.includes(envelope.type));
    expect(ownAlerts).toEqual([]);
    expect(failing.requests.some((r) => envelopeOf(r)?.type === 'app.webhook.created')).toBe(true);
  });
});

describe('failure alerts: the app disabling a webhook', () => {
  let bed: DeliveryBed;
  afterEach(() => bed.close());

  it('410 Gone: app.webhook.disabled with the webhook kind, masked URL and failure run, to others and not to the webhook', async () => {
    bed = await startDeliveryBed([FAILING, WATCHER]);
    const failing = bed.receivers[FAILING] as Receiver;
    const watcher = bed.receivers[WATCHER] as Receiver;
    await createWebhook(bed, { name: 'Watcher', url: `https://${WATCHER}/hook`, events: ['app.webhook.disabled'] });
    const f = await createWebhook(bed, { name: 'Gone', url: `https://${FAILING}/hook`, events: ['*'] });
    failing.responder = () => ({ status: 410, body: 'gone' });
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    await flush(bed.host);
    expect((await getWebhook(bed, f.id)).health.state).toBe('disabled');
    const disabled = watcher.requests.map(envelopeOf).filter((envelope) => envelope?.type === 'app.webhook.disabled');
    expect(disabled).toHaveLength(1);
    expect(disabled[0]?.data.details).toMatchObject({ kind: 'custom', url: f.url, state: 'disabled', reason: expect.stringMatching(/410/) });
    expect(failing.requests.some((r) => envelopeOf(r)?.type === 'app.webhook.disabled')).toBe(false);
  });
});
