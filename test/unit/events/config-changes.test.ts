import { AuditEventSchema, fromConfigChange, isCatalogueType } from '../../../src/domain/events';

const AT = '2024-05-21T12:00:00.000Z';

describe('fromConfigChange', () => {
  it('turns a webhook update into an app event', () => {
    const result = fromConfigChange({
      type: 'app.webhook.updated',
      actorAccountId: 'admin-1',
      webhookId: 'wh_1',
      webhookName: 'Splunk',
      changes: [{ field: 'url', from: 'https://a.example.com/hook', to: 'https://b.example.com/hook' }, { field: 'events', from: '*', to: 'issue.created' }],
      at: new Date(AT),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event).toMatchObject({
      type: 'app.webhook.updated',
      timestamp: AT,
      data: {
        source: 'app',
        actor: { accountId: 'admin-1' },
        object: { type: 'webhook', id: 'wh_1', name: 'Splunk' },
        summary: 'Webhook "Splunk" was updated: url, events changed',
        changes: [{ field: 'url' }, { field: 'events' }],
      },
    });
    expect(result.event.id).toMatch(/^app-[0-9a-f]{32}$/);
    expect(AuditEventSchema.safeParse(result.event).success).toBe(true);
    expect(isCatalogueType(result.event.type)).toBe(true);
  });

  it('gives a deterministic id unless one is passed', () => {
    const change = { type: 'app.webhook.disabled' as const, webhookId: 'wh_1', at: AT, reason: 'disabled after 50 consecutive failures' };
    const a = fromConfigChange(change);
    const b = fromConfigChange(change);
    expect(a.ok && b.ok && a.event.id === b.event.id).toBe(true);
    const c = fromConfigChange({ ...change, id: 'evt_1' });
    expect(c.ok && c.event.id).toBe('evt_1');
    expect(a.ok && a.event.data).toMatchObject({ actor: {}, summary: 'Webhook wh_1 was disabled (disabled after 50 consecutive failures)', details: { reason: 'disabled after 50 consecutive failures' } });
  });

  it('describes settings changes without a webhook', () => {
    const result = fromConfigChange({ type: 'app.settings.updated', actorAccountId: 'admin-1', changes: [{ field: 'auditPoll.enabled', from: 'false', to: 'true' }], at: AT });
    expect(result.ok && result.event.data).toMatchObject({ object: { type: 'settings', name: 'App settings' }, summary: 'App settings were updated' });
  });

  it('covers every secret lifecycle type', () => {
    for (const type of ['app.webhook.secret_added', 'app.webhook.secret_removed', 'app.webhook.created', 'app.webhook.deleted', 'app.webhook.enabled'] as const) {
      const result = fromConfigChange({ type, webhookId: 'wh_1', webhookName: 'SIEM', changes: [{ field: 'secret', to: 'whs' }], at: AT });
      expect(result.ok && result.event.type).toBe(type);
    }
  });
});

describe('fromConfigChange with the admin use cases\' records', () => {
  it('accepts ConfigAuditEvent from src/app/admin/config-audit.ts as it is', () => {
    const recorded: import('../../../src/app/admin/config-audit').ConfigAuditEvent = {
      type: 'webhook.updated',
      actorAccountId: 'admin-1',
      webhookId: 'wh_1',
      webhookName: 'Splunk',
      at: AT,
      changes: [
        { field: 'events', from: ['*'], to: ['issue.created', 'audit.permissions'] },
        { field: 'enabled', from: true, to: false },
        { field: 'timeoutSeconds', from: 15, to: null },
      ],
    };
    const result = fromConfigChange(recorded);
    expect(result.ok && result.event).toMatchObject({
      type: 'app.webhook.updated',
      data: {
        changes: [
          { field: 'events', from: '*', to: 'issue.created, audit.permissions' },
          { field: 'enabled', from: 'true', to: 'false' },
          { field: 'timeoutSeconds', from: '15' },
        ],
      },
    });
  });

  it('names the accepted types when one is unknown', () => {
    const result = fromConfigChange({ type: 'webhook.exploded' as never, webhookId: 'wh_1', at: AT });
    expect(!result.ok && result.error).toMatch(/type: expected one of app\.webhook\.created, .* \(the app\. prefix may be left out\)/);
  });
});
