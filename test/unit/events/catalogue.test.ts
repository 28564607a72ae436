import {
  APP_CONFIG_EVENT_TYPES,
  AUDIT_CATEGORIES,
  EVENT_CATALOGUE,
  EVENT_TYPE_PATTERN,
  FORGE_PRODUCT_EVENTS,
  FORGE_PRODUCT_EVENT_SCOPES,
  PRODUCT_EVENT_TYPES,
  auditCategorySlug,
  auditTypeForCategory,
} from '../../../src/domain/events';

describe('EVENT_CATALOGUE', () => {
  it('gives every type a category, a description and a source, once', () => {
    const types = EVENT_CATALOGUE.map((info) => info.type);
    expect(new Set(types).size).toBe(types.length);
    for (const info of EVENT_CATALOGUE) {
      expect(info.type).toMatch(EVENT_TYPE_PATTERN);
      expect(info.category.length).toBeGreaterThan(0);
      expect(info.description.length).toBeGreaterThan(10);
      expect(['product-event', 'audit-log', 'app']).toContain(info.source);
    }
  });

  it('lists every mapped product event type, every audit category, audit.other and every app type', () => {
    const types = new Set(EVENT_CATALOGUE.map((info) => info.type));
    for (const mapping of Object.values(PRODUCT_EVENT_TYPES)) expect(types).toContain(mapping.type);
    for (const slug of Object.keys(AUDIT_CATEGORIES)) expect(types).toContain(`audit.${slug}`);
    for (const type of APP_CONFIG_EVENT_TYPES) expect(types).toContain(type);
    for (const type of ['audit.other', 'comment.updated', 'issue.created', 'issuelink.created', 'project.softdeleted', 'field_context.updated', 'configuration.changed']) {
      expect(types).toContain(type);
    }
  });

  it('does not offer `*` as a type (it is the webhook wildcard)', () => {
    expect(EVENT_CATALOGUE.some((info) => info.type === '*')).toBe(false);
  });
});

describe('PRODUCT_EVENT_TYPES', () => {
  it('covers every event family of reference 1.2', () => {
    for (const name of [
      'avi:jira:created:issue', 'avi:jira:updated:issue', 'avi:jira:deleted:issue', 'avi:jira:assigned:issue', 'avi:jira:viewed:issue', 'avi:jira:mentioned:issue',
      'avi:jira:commented:issue', 'avi:jira:deleted:comment', 'avi:jira:mentioned:comment',
      'avi:jira:created:issuelink', 'avi:jira:deleted:issuelink',
      'avi:jira:created:worklog', 'avi:jira:updated:worklog', 'avi:jira:deleted:worklog',
      'avi:jira:created:attachment', 'avi:jira:deleted:attachment',
      'avi:jira:set:issue-property', 'avi:jira:deleted:issue-property',
      'avi:jira:created:project', 'avi:jira:updated:project', 'avi:jira:archived:project', 'avi:jira:unarchived:project', 'avi:jira:softdeleted:project', 'avi:jira:restored:project', 'avi:jira:deleted:project',
      'avi:jira:created:version', 'avi:jira:updated:version', 'avi:jira:released:version', 'avi:jira:unreleased:version', 'avi:jira:archived:version', 'avi:jira:unarchived:version', 'avi:jira:merged:version', 'avi:jira:moved:version', 'avi:jira:deleted:version',
      'avi:jira:created:component', 'avi:jira:updated:component', 'avi:jira:deleted:component',
      'avi:jira-software:created:sprint', 'avi:jira-software:started:sprint', 'avi:jira-software:closed:sprint', 'avi:jira-software:updated:sprint', 'avi:jira-software:deleted:sprint',
      'avi:jira-software:created:board', 'avi:jira-software:updated:board', 'avi:jira-software:deleted:board', 'avi:jira-software:configuration-changed:board',
      'avi:jira:created:user', 'avi:jira:updated:user', 'avi:jira:deleted:user',
      'avi:jira:created:field', 'avi:jira:updated:field', 'avi:jira:trashed:field', 'avi:jira:deleted:field', 'avi:jira:restored:field',
      'avi:jira:created:field:context', 'avi:jira:updated:field:context', 'avi:jira:deleted:field:context', 'avi:jira:updated:field:context:configuration',
      'avi:jira:created:issuetype', 'avi:jira:updated:issuetype', 'avi:jira:deleted:issuetype',
      'avi:jira:created:filter', 'avi:jira:updated:filter', 'avi:jira:deleted:filter',
      'avi:jira:changed:configuration', 'avi:jira:timetracking:provider:changed', 'avi:jira:failed:expression',
      'avi:jsm-entity:created:request-type', 'avi:jsm-entity:deleted:service-desk',
      'avi:forge:installed:app', 'avi:forge:upgraded:app',
    ]) {
      expect(PRODUCT_EVENT_TYPES).toHaveProperty([name]);
    }
  });

  it('has no avi:jira:updated:comment (it does not exist)', () => {
    expect(PRODUCT_EVENT_TYPES).not.toHaveProperty(['avi:jira:updated:comment']);
  });

  it('maps to distinct types', () => {
    const types = Object.values(PRODUCT_EVENT_TYPES).map((mapping) => mapping.type);
    expect(new Set(types).size).toBe(types.length);
  });
});

describe('FORGE_PRODUCT_EVENTS', () => {
  it('groups the subscribed events by the scopes of reference 1.2', () => {
    const byEvent = new Map(FORGE_PRODUCT_EVENTS.flatMap((group) => group.events.map((event) => [event, group.scopes] as const)));
    expect(byEvent.get('avi:jira:created:issue')).toEqual(['read:jira-work']);
    expect(byEvent.get('avi:jira-software:created:board')).toEqual(['read:jira-work', 'read:jira-user']);
    expect(byEvent.get('avi:jira:created:user')).toEqual(['read:jira-user']);
    expect(byEvent.get('avi:jira:changed:configuration')).toEqual(['manage:jira-configuration']);
    expect(byEvent.get('avi:forge:installed:app')).toEqual([]);
    expect([...FORGE_PRODUCT_EVENT_SCOPES].sort()).toEqual(['manage:jira-configuration', 'read:jira-user', 'read:jira-work']);
  });

  it('leaves out the high-volume and duplicate events', () => {
    const events = FORGE_PRODUCT_EVENTS.flatMap((group) => group.events);
    for (const name of ['avi:jira:viewed:issue', 'avi:jira:mentioned:issue', 'avi:jira:mentioned:comment', 'avi:jira:failed:expression']) {
      expect(events).not.toContain(name);
    }
    expect(new Set(events).size).toBe(events.length);
  });
});

describe('audit categories', () => {
  it.each([
    ['user management', 'audit.user_management'],
    ['Group Management', 'audit.group_management'],
    [' issue types ', 'audit.issue_types'],
    ['screens', 'audit.screens'],
    ['automation', 'audit.other'],
    ['', 'audit.other'],
    [undefined, 'audit.other'],
    ['constructor', 'audit.other'],
  ])('%p -> %s', (category, type) => {
    expect(auditTypeForCategory(category)).toBe(type);
  });

  it('slugs categories', () => {
    expect(auditCategorySlug('Jira Service Management / SLA')).toBe('jira_service_management_sla');
  });
});
