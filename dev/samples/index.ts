/** Small, realistic Jira product-event payloads for the dev panel and for tests. Shapes follow
 * Atlassian's Forge product-event documentation; ids are made up. */

const user = (accountId: string, displayName: string) => ({ accountId, displayName, accountType: 'atlassian' });
const ADMIN = user('local-admin', 'Local Admin');
const project = { id: '10000', key: 'DEMO', name: 'Demo project', projectTypeKey: 'software' };
const issue = {
  id: '10042',
  key: 'DEMO-42',
  fields: {
    summary: 'Login page returns 500 after password reset',
    issuetype: { id: '10001', name: 'Bug' },
    project,
    status: { id: '3', name: 'In Progress' },
    priority: { id: '2', name: 'High' },
    reporter: ADMIN,
    assignee: user('5b10ac8d82e05b22cc7d4ef5', 'Mia Krystof'),
    created: '2026-11-20T09:15:00.000+0000',
    updated: '2026-11-20T10:02:11.000+0000',
  },
};

export interface SampleEvent { label: string; event: Record<string, unknown> }

export const SAMPLE_EVENTS: SampleEvent[] = [
  { label: 'Issue created', event: { eventType: 'avi:jira:created:issue', atlassianId: ADMIN.accountId, issue, user: ADMIN } },
  {
    label: 'Issue updated',
    event: {
      eventType: 'avi:jira:updated:issue',
      atlassianId: ADMIN.accountId,
      issue,
      user: ADMIN,
      changelog: { id: '10100', items: [{ field: 'status', fieldtype: 'jira', from: '1', fromString: 'To Do', to: '3', toString: 'In Progress' }] },
    },
  },
  { label: 'Issue deleted', event: { eventType: 'avi:jira:deleted:issue', atlassianId: ADMIN.accountId, issue, user: ADMIN } },
  {
    label: 'Comment created',
    event: {
      eventType: 'avi:jira:commented:issue',
      atlassianId: ADMIN.accountId,
      issue,
      comment: {
        id: '10200',
        author: ADMIN,
        // Jira sends comment bodies as Atlassian Document Format.
        body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Reproduced on staging.' }] }] },
        created: '2026-11-20T10:05:00.000+0000',
        updated: '2026-11-20T10:05:00.000+0000',
      },
    },
  },
  { label: 'Project created', event: { eventType: 'avi:jira:created:project', atlassianId: ADMIN.accountId, project: { ...project, lead: ADMIN } } },
  { label: 'Project updated', event: { eventType: 'avi:jira:updated:project', atlassianId: ADMIN.accountId, project: { ...project, lead: ADMIN } } },
  { label: 'User created', event: { eventType: 'avi:jira:created:user', atlassianId: ADMIN.accountId, user: user('712020:0e1c8a52-5c39-4f6c-9a61-1c0d3f6b8e11', 'New Starter') } },
  {
    label: 'Configuration changed',
    event: { eventType: 'avi:jira:changed:configuration', atlassianId: ADMIN.accountId, property: { key: 'jira.option.allowunassigned', value: 'true' } },
  },
  {
    label: 'Version released',
    event: { eventType: 'avi:jira:released:version', atlassianId: ADMIN.accountId, version: { id: '10300', name: '2.4.0', projectId: 10000, released: true, releaseDate: '2026-11-20' } },
  },
  {
    label: 'App installed',
    event: {
      eventType: 'avi:forge:installed:app',
      id: 'install-1',
      installerAccountId: ADMIN.accountId,
      app: { id: 'local-app', version: '1.0.0' },
      environment: { id: 'local-development' },
      context: 'ari:cloud:jira::site/00000000-0000-4000-8000-00000000c10d',
    },
  },
  { label: 'Issue created by the app itself (ignoreSelf)', event: { eventType: 'avi:jira:created:issue', atlassianId: 'system-app-user', issue } },
];
