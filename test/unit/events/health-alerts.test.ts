import type { EndpointHealth } from '../../../src/domain/delivery/health';
import { AuditEventSchema } from '../../../src/domain/events/model';
import { fromHealthTransition, healthTransition } from '../../../src/domain/events/health-alerts';
import type { Settings } from '../../../src/domain/destinations/contract';
import { destinationModule } from '../../../src/domain/destinations/registry';
import { cardTexts, checkTeamsRequest } from '../../integration/support/vendors/teams';

const webhook = { id: 'wh_f', name: 'SIEM F', kind: 'custom', displayUrl: 'https://siem.example.com/hook?•••' };
const healthy: EndpointHealth = { state: 'healthy', since: '2026-11-30T09:00:00.000Z' };
const failing: EndpointHealth = {
  state: 'failing',
  since: '2026-11-30T10:00:00.000Z',
  failingSince: '2026-11-30T10:00:00.000Z',
  lastFailureAt: '2026-11-30T10:05:00.000Z',
  reason: 'HTTP 503 from receiver.',
  consecutiveFailures: 3,
};
const recovered: EndpointHealth = { state: 'healthy', since: '2026-11-30T11:00:00.000Z' };

describe('healthTransition', () => {
  it.each<[string, EndpointHealth, EndpointHealth, string | undefined]>([
    ['healthy -> failing', healthy, failing, 'failing'],
    ['never delivered -> failing', { state: 'never-delivered' }, failing, 'failing'],
    ['failing -> failing (the same run goes on)', failing, { ...failing, consecutiveFailures: 4 }, undefined],
    ['failing -> healthy', failing, recovered, 'recovered'],
    ['healthy blip (not failing yet)', healthy, { ...healthy, failingSince: '2026-11-30T10:00:00.000Z', consecutiveFailures: 1 }, undefined],
    ['failing -> disabled (app.webhook.disabled says it)', failing, { state: 'disabled', since: '2026-12-05T10:00:00.000Z' }, undefined],
    ['never delivered -> healthy', { state: 'never-delivered' }, recovered, undefined],
  ])('%s', (_name, stored, next, expected) => {
    expect(healthTransition(stored, next)).toBe(expected);
  });
});

describe('fromHealthTransition', () => {
  it('failing: a valid event about the webhook, with its masked URL and failure run, and a stable id', () => {
    const result = fromHealthTransition(webhook, 'failing', healthy, failing, '2026-11-30T10:05:00.000Z');
    if (!result.ok) throw new Error(result.error);
    expect(AuditEventSchema.safeParse(result.event).success).toBe(true);
    expect(result.event.type).toBe('app.webhook.failing');
    expect(result.event.data.object).toEqual({ type: 'webhook', id: 'wh_f', name: 'SIEM F' });
    expect(result.event.data.summary).toBe('Webhook "SIEM F" is failing: HTTP 503 from receiver. (3 failed requests in a row since 2026-11-30T10:00:00.000Z)');
    expect(result.event.data.details).toEqual({
      kind: 'custom',
      url: 'https://siem.example.com/hook?•••',
      state: 'failing',
      previousState: 'healthy',
      reason: 'HTTP 503 from receiver.',
      since: '2026-11-30T10:00:00.000Z',
      failingSince: '2026-11-30T10:00:00.000Z',
      consecutiveFailures: 3,
    });
    // A second run that made the same transition of the same failure run, a little later: the same id.
    const twin = fromHealthTransition(webhook, 'failing', healthy, { ...failing, lastFailureAt: '2026-11-30T10:05:02.000Z' }, '2026-11-30T10:05:02.000Z');
    expect(twin.ok && twin.event.id).toBe(result.event.id);
    // Another failure run, or the recovery of this one: another id.
    const later = fromHealthTransition(webhook, 'failing', healthy, { ...failing, failingSince: '2026-12-01T10:00:00.000Z' }, '2026-12-01T10:05:00.000Z');
    expect(later.ok && later.event.id).not.toBe(result.event.id);
    const back = fromHealthTransition(webhook, 'recovered', failing, recovered, '2026-11-30T11:00:00.000Z');
    expect(back.ok && back.event.id).not.toBe(result.event.id);
  });

  it('recovered: says since when it had failed', () => {
    const result = fromHealthTransition(webhook, 'recovered', failing, recovered, '2026-11-30T11:00:00.000Z');
    if (!result.ok) throw new Error(result.error);
    expect(result.event.type).toBe('app.webhook.recovered');
    expect(result.event.data.summary).toBe('Webhook "SIEM F" recovered: delivering again after failing since 2026-11-30T10:00:00.000Z');
    expect(result.event.data.details).toMatchObject({ state: 'healthy', previousState: 'failing', failingSince: '2026-11-30T10:00:00.000Z' });
  });

  it('refuses a time that is not a date', () => {
    expect(fromHealthTransition(webhook, 'failing', healthy, failing, 'soon')).toEqual({ ok: false, error: expect.stringMatching(/at: "soon" is not a date/) });
  });
});

describe('failure alerts in chat', () => {
  const event = (() => {
    const result = fromHealthTransition(webhook, 'failing', healthy, failing, '2026-11-30T10:05:00.000Z');
    if (!result.ok) throw new Error(result.error);
    return result.event;
  })();
  const SUMMARY = 'Webhook "SIEM F" is failing: HTTP 503 from receiver. (3 failed requests in a row since 2026-11-30T10:00:00.000Z)';

  it('Teams: a valid Adaptive Card headed by the summary', () => {
    const teams = destinationModule('teams');
    const body = teams.render([{ msgId: 'msg_1', event }], teams.settingsSchema.parse({}) as Settings, {});
    const check = checkTeamsRequest({ method: 'POST', path: '/powerautomate/automations/direct/workflows/x/triggers/manual/paths/invoke?api-version=1&sig=abc', headers: { 'content-type': teams.contentType }, body });
    expect(check.problems).toEqual([]);
    const card = (JSON.parse(body) as { attachments: [{ content: unknown }] }).attachments[0].content;
    expect(cardTexts(card)).toContain(SUMMARY);
  });

  it('Slack: the summary is the message text', () => {
    const slack = destinationModule('slack');
    const body = JSON.parse(slack.render([{ msgId: 'msg_1', event }], slack.settingsSchema.parse({}) as Settings, {})) as { text: string };
    expect(body.text).toBe(`app.webhook.failing: ${SUMMARY}`);
  });
});
