/**
 * Jira issue product events built in code, for tests that need many distinct issues or fields no
 * recorded fixture has (events-kit's jiraFixture reads the recorded ones from test/fixtures/jira).
 */

/** The Atlassian account that acts in every built event. */
export const JIRA_USER = '5b10ac8d82e05b22cc7d4ef5';

/** The kind, project and status of the issues the built events are about: a Task in SEC, To Do. */
export const SEC_TASK = {
  issuetype: { id: '10001', name: 'Task' },
  project: { id: '10000', key: 'SEC', name: 'Security' },
  status: { id: '1', name: 'To Do' },
};

/** An avi:jira:*:issue event as Forge delivers it; `more` (a changelog...) goes before the acting user. */
export const jiraIssueEvent = (eventType: string, issue: { id: string; key: string; fields: Record<string, unknown> }, more: Record<string, unknown> = {}) => ({
  eventType,
  atlassianId: JIRA_USER,
  issue,
  ...more,
  user: { accountId: JIRA_USER },
});

/** An issue-created event for a new SEC task; `fields` adds to or replaces the issue's fields. */
export const issueCreatedEvent = (issue: { id: string; key: string; summary: string }, fields: Record<string, unknown> = {}) =>
  jiraIssueEvent('avi:jira:created:issue', {
    id: issue.id,
    key: issue.key,
    fields: {
      summary: issue.summary,
      ...SEC_TASK,
      creator: { accountId: JIRA_USER },
      reporter: { accountId: JIRA_USER },
      created: '2026-11-23T10:00:00.000+0000',
      updated: '2026-11-23T10:00:00.000+0000',
      ...fields,
    },
  });
