import type { EventTypeInfo } from '../../contract/webhook-view';

/**
 * Categories of day-to-day work: busy sites produce them by the thousand, which a Slack channel (one
 * message a second per webhook) neither keeps up with nor needs for auditing.
 */
const WORK_CATEGORIES = new Set(['Issues', 'Comments', 'Issue links', 'Worklogs', 'Attachments', 'Issue properties', 'Sprints']);

/**
 * What a webhook made by "Add to Slack" subscribes to unless the admin chose: every audit-log record,
 * user, project, field, workflow, filter, scheme and app change, but not the issue-level stream. The
 * admin can change it afterwards like any webhook's events.
 */
export function defaultSlackEvents(catalogue: readonly EventTypeInfo[]): string[] {
  const chosen = catalogue.filter((info) => !WORK_CATEGORIES.has(info.category)).map((info) => info.type);
  return chosen.length > 0 ? chosen : ['*'];
}
