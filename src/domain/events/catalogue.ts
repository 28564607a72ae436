/**
 * The event catalogue: every type a webhook can subscribe to, where it comes from, and for product events
 * the Forge event name it is made from and the scope that event needs (reference forge-platform.md 1.2).
 */
import type { EventSource } from './model';
import { HEALTH_ALERT_DESCRIPTIONS } from './health-alerts';

export type ProductEventFamily =
  | 'issue'
  | 'comment'
  | 'issuelink'
  | 'worklog'
  | 'attachment'
  | 'issue_property'
  | 'project'
  | 'version'
  | 'component'
  | 'sprint'
  | 'board'
  | 'board_configuration'
  | 'user'
  | 'field'
  | 'field_context'
  | 'field_context_configuration'
  | 'issuetype'
  | 'filter'
  | 'configuration'
  | 'timetracking'
  | 'expression'
  | 'jsm'
  | 'app_lifecycle';

export type ForgeScope = 'read:jira-work' | 'read:jira-user' | 'manage:jira-configuration';

export interface ProductEventMapping {
  /** Our catalogue type. */
  type: string;
  family: ProductEventFamily;
  /** Classic scopes the app needs to receive it (empty: none, app lifecycle events). */
  scopes: readonly ForgeScope[];
  /** Whether the app subscribes to it (see FORGE_PRODUCT_EVENTS for why some are left out). */
  subscribed: boolean;
  description: string;
}

export interface EventTypeInfo {
  type: string;
  category: string;
  description: string;
  source: EventSource;
}

const WORK: readonly ForgeScope[] = ['read:jira-work'];
const USER: readonly ForgeScope[] = ['read:jira-user'];
const CONFIG: readonly ForgeScope[] = ['manage:jira-configuration'];
const BOARD: readonly ForgeScope[] = ['read:jira-work', 'read:jira-user'];

type Row = [forgeEvent: string, type: string, family: ProductEventFamily, scopes: readonly ForgeScope[], description: string, subscribed?: boolean];

/* Left out of the subscriptions (subscribed=false), but still normalised if a manifest subscribes to them:
 * - issue viewed: one invocation per page view; the volume would eat the 500 events/minute budget;
 * - mentions: the same change also arrives as issue updated / comment created;
 * - issue properties: app data written by other apps, not an admin-visible change;
 * - failed expression: only reaches the app that registered the expression, and this app registers none. */
const ROWS: readonly Row[] = [
  ['avi:jira:created:issue', 'issue.created', 'issue', WORK, 'An issue was created.'],
  ['avi:jira:updated:issue', 'issue.updated', 'issue', WORK, 'A field of an issue changed (status, summary, priority, ...); the changes list says which.'],
  ['avi:jira:deleted:issue', 'issue.deleted', 'issue', WORK, 'An issue was deleted (not sent for issues removed with their project).'],
  ['avi:jira:assigned:issue', 'issue.assigned', 'issue', WORK, 'An issue was assigned or unassigned.'],
  ['avi:jira:viewed:issue', 'issue.viewed', 'issue', WORK, 'A user viewed an issue (not subscribed by default: high volume).', false],
  ['avi:jira:mentioned:issue', 'issue.mentioned', 'issue', WORK, 'Users were mentioned in an issue description (not subscribed by default).', false],
  ['avi:jira:commented:issue', 'comment.created', 'comment', WORK, 'A comment was added to an issue (an edit arrives as comment.updated).'],
  ['avi:jira:deleted:comment', 'comment.deleted', 'comment', WORK, 'A comment was deleted.'],
  ['avi:jira:mentioned:comment', 'comment.mentioned', 'comment', WORK, 'Users were mentioned in a comment (not subscribed by default).', false],
  ['avi:jira:created:issuelink', 'issuelink.created', 'issuelink', WORK, 'Two issues were linked.'],
  ['avi:jira:deleted:issuelink', 'issuelink.deleted', 'issuelink', WORK, 'A link between two issues was removed.'],
  ['avi:jira:created:worklog', 'worklog.created', 'worklog', WORK, 'Time was logged on an issue.'],
  ['avi:jira:updated:worklog', 'worklog.updated', 'worklog', WORK, 'A worklog was edited.'],
  ['avi:jira:deleted:worklog', 'worklog.deleted', 'worklog', WORK, 'A worklog was deleted.'],
  ['avi:jira:created:attachment', 'attachment.created', 'attachment', WORK, 'A file was attached to an issue.'],
  ['avi:jira:deleted:attachment', 'attachment.deleted', 'attachment', WORK, 'An attachment was deleted.'],
  ['avi:jira:set:issue-property', 'issue_property.set', 'issue_property', WORK, 'An app or integration set an issue property (not subscribed by default).', false],
  ['avi:jira:deleted:issue-property', 'issue_property.deleted', 'issue_property', WORK, 'An issue property was deleted (not subscribed by default).', false],
  ['avi:jira:created:project', 'project.created', 'project', WORK, 'A project was created.'],
  ['avi:jira:updated:project', 'project.updated', 'project', WORK, 'A project\'s details changed.'],
  ['avi:jira:archived:project', 'project.archived', 'project', WORK, 'A project was archived.'],
  ['avi:jira:unarchived:project', 'project.unarchived', 'project', WORK, 'A project was restored from the archive.'],
  ['avi:jira:softdeleted:project', 'project.softdeleted', 'project', WORK, 'A project was moved to the trash.'],
  ['avi:jira:restored:project', 'project.restored', 'project', WORK, 'A project was restored from the trash.'],
  ['avi:jira:deleted:project', 'project.deleted', 'project', WORK, 'A project was deleted permanently.'],
  ['avi:jira:created:version', 'version.created', 'version', WORK, 'A project version was created.'],
  ['avi:jira:updated:version', 'version.updated', 'version', WORK, 'A project version changed.'],
  ['avi:jira:released:version', 'version.released', 'version', WORK, 'A version was released.'],
  ['avi:jira:unreleased:version', 'version.unreleased', 'version', WORK, 'A version was unreleased.'],
  ['avi:jira:archived:version', 'version.archived', 'version', WORK, 'A version was archived.'],
  ['avi:jira:unarchived:version', 'version.unarchived', 'version', WORK, 'A version was unarchived.'],
  ['avi:jira:merged:version', 'version.merged', 'version', WORK, 'A version was merged into another.'],
  ['avi:jira:moved:version', 'version.moved', 'version', WORK, 'A version was moved in the version order.'],
  ['avi:jira:deleted:version', 'version.deleted', 'version', WORK, 'A version was deleted.'],
  ['avi:jira:created:component', 'component.created', 'component', WORK, 'A project component was created.'],
  ['avi:jira:updated:component', 'component.updated', 'component', WORK, 'A project component changed.'],
  ['avi:jira:deleted:component', 'component.deleted', 'component', WORK, 'A project component was deleted.'],
  ['avi:jira-software:created:sprint', 'sprint.created', 'sprint', WORK, 'A sprint was created.'],
  ['avi:jira-software:started:sprint', 'sprint.started', 'sprint', WORK, 'A sprint was started.'],
  ['avi:jira-software:updated:sprint', 'sprint.updated', 'sprint', WORK, 'A sprint changed (name, goal, dates).'],
  ['avi:jira-software:closed:sprint', 'sprint.closed', 'sprint', WORK, 'A sprint was completed.'],
  ['avi:jira-software:deleted:sprint', 'sprint.deleted', 'sprint', WORK, 'A sprint was deleted.'],
  ['avi:jira-software:created:board', 'board.created', 'board', BOARD, 'A board was created.'],
  ['avi:jira-software:updated:board', 'board.updated', 'board', BOARD, 'A board changed.'],
  ['avi:jira-software:deleted:board', 'board.deleted', 'board', BOARD, 'A board was deleted.'],
  ['avi:jira-software:configuration-changed:board', 'board.configuration_changed', 'board_configuration', BOARD, 'A board\'s configuration (filter, columns, estimation) changed.'],
  ['avi:jira:created:user', 'user.created', 'user', USER, 'A user account was created.'],
  ['avi:jira:updated:user', 'user.updated', 'user', USER, 'A user account changed.'],
  ['avi:jira:deleted:user', 'user.deleted', 'user', USER, 'A user account was deleted.'],
  ['avi:jira:created:field', 'field.created', 'field', CONFIG, 'A custom field was created.'],
  ['avi:jira:updated:field', 'field.updated', 'field', CONFIG, 'A custom field changed.'],
  ['avi:jira:trashed:field', 'field.trashed', 'field', CONFIG, 'A custom field was moved to the trash.'],
  ['avi:jira:restored:field', 'field.restored', 'field', CONFIG, 'A custom field was restored from the trash.'],
  ['avi:jira:deleted:field', 'field.deleted', 'field', CONFIG, 'A custom field was deleted permanently.'],
  ['avi:jira:created:field:context', 'field_context.created', 'field_context', CONFIG, 'A custom field context was created.'],
  ['avi:jira:updated:field:context', 'field_context.updated', 'field_context', CONFIG, 'A custom field context (projects, issue types) changed.'],
  ['avi:jira:deleted:field:context', 'field_context.deleted', 'field_context', CONFIG, 'A custom field context was deleted.'],
  ['avi:jira:updated:field:context:configuration', 'field_context.configuration_updated', 'field_context_configuration', CONFIG, 'A custom field context\'s configuration (default value, options) changed.'],
  ['avi:jira:created:issuetype', 'issuetype.created', 'issuetype', CONFIG, 'An issue type was created.'],
  ['avi:jira:updated:issuetype', 'issuetype.updated', 'issuetype', CONFIG, 'An issue type changed.'],
  ['avi:jira:deleted:issuetype', 'issuetype.deleted', 'issuetype', CONFIG, 'An issue type was deleted.'],
  ['avi:jira:created:filter', 'filter.created', 'filter', CONFIG, 'A saved filter was created.'],
  ['avi:jira:updated:filter', 'filter.updated', 'filter', CONFIG, 'A saved filter changed (JQL, name, owner).'],
  ['avi:jira:deleted:filter', 'filter.deleted', 'filter', CONFIG, 'A saved filter was deleted.'],
  ['avi:jira:changed:configuration', 'configuration.changed', 'configuration', CONFIG, 'A global Jira setting (sub-tasks, unassigned issues, voting, watching, issue linking) was switched.'],
  ['avi:jira:timetracking:provider:changed', 'timetracking.provider_changed', 'timetracking', CONFIG, 'The time tracking provider was changed.'],
  ['avi:jira:failed:expression', 'workflow.expression_failed', 'expression', CONFIG, 'A Forge workflow expression of this app failed (not subscribed: the app registers none).', false],
  ['avi:jsm-entity:created:request-type', 'request_type.created', 'jsm', CONFIG, 'A service management request type was created.'],
  ['avi:jsm-entity:updated:request-type', 'request_type.updated', 'jsm', CONFIG, 'A service management request type changed.'],
  ['avi:jsm-entity:deleted:request-type', 'request_type.deleted', 'jsm', CONFIG, 'A service management request type was deleted.'],
  ['avi:jsm-entity:created:portal', 'portal.created', 'jsm', CONFIG, 'A service management portal was created.'],
  ['avi:jsm-entity:updated:portal', 'portal.updated', 'jsm', CONFIG, 'A service management portal changed.'],
  ['avi:jsm-entity:created:request-type-group', 'request_type_group.created', 'jsm', CONFIG, 'A request type group was created.'],
  ['avi:jsm-entity:updated:request-type-group', 'request_type_group.updated', 'jsm', CONFIG, 'A request type group changed.'],
  ['avi:jsm-entity:deleted:request-type-group', 'request_type_group.deleted', 'jsm', CONFIG, 'A request type group was deleted.'],
  ['avi:jsm-entity:created:service-desk', 'service_desk.created', 'jsm', CONFIG, 'A service desk was created.'],
  ['avi:jsm-entity:updated:service-desk', 'service_desk.updated', 'jsm', CONFIG, 'A service desk changed.'],
  ['avi:jsm-entity:deleted:service-desk', 'service_desk.deleted', 'jsm', CONFIG, 'A service desk was deleted.'],
  ['avi:forge:installed:app', 'app.installed', 'app_lifecycle', [], 'This app was installed on the site.'],
  ['avi:forge:upgraded:app', 'app.upgraded', 'app_lifecycle', [], 'This app was upgraded to a new major version.'],
];

/** Forge product event name -> our type, family, scopes. */
export const PRODUCT_EVENT_TYPES: Readonly<Record<string, ProductEventMapping>> = Object.freeze(
  Object.fromEntries(
    ROWS.map(([forgeEvent, type, family, scopes, description, subscribed]) => [
      forgeEvent,
      Object.freeze({ type, family, scopes, subscribed: subscribed ?? true, description }),
    ]),
  ),
);

export interface ForgeEventGroup {
  /** Classic scopes the manifest must request for these events. */
  scopes: readonly ForgeScope[];
  events: readonly string[];
}

function groupByScopes(): ForgeEventGroup[] {
  const groups = new Map<string, ForgeEventGroup & { events: string[] }>();
  for (const [forgeEvent, mapping] of Object.entries(PRODUCT_EVENT_TYPES)) {
    if (!mapping.subscribed) continue;
    const key = mapping.scopes.join(' ');
    const group = groups.get(key) ?? { scopes: mapping.scopes, events: [] };
    group.events.push(forgeEvent);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * The Forge events the app's product-event trigger subscribes to, grouped by the classic scopes they need
 * (for manifest.yml). App lifecycle events need no scope.
 */
export const FORGE_PRODUCT_EVENTS: readonly ForgeEventGroup[] = Object.freeze(groupByScopes());

/** Every scope the subscribed events need. */
export const FORGE_PRODUCT_EVENT_SCOPES: readonly ForgeScope[] = Object.freeze([
  ...new Set(FORGE_PRODUCT_EVENTS.flatMap((group) => group.scopes)),
]);

/** Audit log categories Jira writes (Auditing in Jira applications), keyed by our slug. */
export const AUDIT_CATEGORIES: Readonly<Record<string, string>> = Object.freeze({
  user_management: 'Users created, updated, deactivated; application access changed.',
  group_management: 'Groups created or deleted; users added to or removed from groups.',
  permissions: 'Permission schemes, global permissions, project roles and issue security changed.',
  workflows: 'Workflows and workflow schemes created, changed, published or deleted.',
  projects: 'Projects created, changed, archived or deleted; project roles and categories.',
  fields: 'Custom fields, field configurations and field configuration schemes changed.',
  system: 'Site-wide settings: general configuration, look and feel, mail, attachments, time tracking.',
  notifications: 'Notification schemes changed.',
  screens: 'Screens, screen schemes and issue type screen schemes changed.',
  issue_types: 'Issue types and issue type schemes changed.',
  applications: 'Application access and application roles changed.',
  auditing: 'Audit log settings changed.',
  migration: 'Site imports and migrations.',
});

/** `user management` -> `user_management`. */
export function auditCategorySlug(category: string): string {
  return category
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The type an audit record of this category becomes: `audit.<slug>` for known categories, else `audit.other`. */
export function auditTypeForCategory(category: string | undefined): string {
  const slug = category === undefined ? '' : auditCategorySlug(category);
  return Object.prototype.hasOwnProperty.call(AUDIT_CATEGORIES, slug) ? `audit.${slug}` : 'audit.other';
}

export const APP_CONFIG_EVENT_TYPES = [
  'app.webhook.created',
  'app.webhook.updated',
  'app.webhook.deleted',
  'app.webhook.enabled',
  'app.webhook.disabled',
  'app.webhook.secret_added',
  'app.webhook.secret_removed',
  'app.settings.updated',
] as const;
export type AppConfigEventType = (typeof APP_CONFIG_EVENT_TYPES)[number];

const APP_CONFIG_DESCRIPTIONS: Record<AppConfigEventType, string> = {
  'app.webhook.created': 'An admin created a webhook in this app. Sent to every other subscribed webhook, not to the new one itself.',
  'app.webhook.updated': 'An admin changed a webhook (URL, events, headers, signing...).',
  'app.webhook.deleted': 'An admin deleted a webhook.',
  'app.webhook.enabled': 'An admin enabled a webhook.',
  'app.webhook.disabled':
    'A webhook was disabled, by an admin or by the app (410 Gone, 5 days of failure: then data.details says why); never sent to the disabled webhook itself.',
  'app.webhook.secret_added': 'A signing secret was added to a webhook.',
  'app.webhook.secret_removed': 'A signing secret was removed from a webhook (or scheduled to expire).',
  'app.settings.updated': 'An admin changed the app settings (audit log polling, backfill).',
};

const FAMILY_CATEGORY: Record<ProductEventFamily, string> = {
  issue: 'Issues',
  comment: 'Comments',
  issuelink: 'Issue links',
  worklog: 'Worklogs',
  attachment: 'Attachments',
  issue_property: 'Issue properties',
  project: 'Projects',
  version: 'Versions',
  component: 'Components',
  sprint: 'Sprints',
  board: 'Boards',
  board_configuration: 'Boards',
  user: 'Users',
  field: 'Fields',
  field_context: 'Fields',
  field_context_configuration: 'Fields',
  issuetype: 'Issue types',
  filter: 'Filters',
  configuration: 'Configuration',
  timetracking: 'Configuration',
  expression: 'Workflows',
  jsm: 'Service management',
  app_lifecycle: 'App',
};

function buildCatalogue(): EventTypeInfo[] {
  const product: EventTypeInfo[] = [];
  for (const mapping of Object.values(PRODUCT_EVENT_TYPES)) {
    product.push({ type: mapping.type, category: FAMILY_CATEGORY[mapping.family], description: mapping.description, source: 'product-event' });
    if (mapping.type === 'comment.created') {
      product.push({
        type: 'comment.updated',
        category: FAMILY_CATEGORY.comment,
        description: 'A comment was edited (the same Forge event as comment.created, told apart by its updated date).',
        source: 'product-event',
      });
    }
  }
  const audit: EventTypeInfo[] = Object.entries(AUDIT_CATEGORIES).map(([slug, description]) => ({
    type: `audit.${slug}`,
    category: 'Audit log',
    description: `Audit log, ${slug.replace(/_/g, ' ')}: ${description}`,
    source: 'audit-log',
  }));
  audit.push({
    type: 'audit.other',
    category: 'Audit log',
    description: 'Audit log records of any other category; the category Jira wrote is kept in data.original.category.',
    source: 'audit-log',
  });
  const app: EventTypeInfo[] = APP_CONFIG_EVENT_TYPES.map((type) => ({
    type,
    category: 'App configuration',
    description: APP_CONFIG_DESCRIPTIONS[type],
    source: 'app',
  }));
  for (const [type, description] of Object.entries(HEALTH_ALERT_DESCRIPTIONS)) app.push({ type, category: 'App health', description, source: 'app' });
  app.push({
    type: 'app.event.set_aside',
    category: 'App pipeline',
    description:
      'An event could not be accepted, stored, batched or rendered and was set aside instead of blocking the others; data.details says where and why (the admin API lists it: events.setAside).',
    source: 'app',
  });
  return [...product, ...audit, ...app];
}

/** Every type a webhook may subscribe to (the admin API serves it as data.eventTypes). `*` means all. */
export const EVENT_CATALOGUE: readonly EventTypeInfo[] = Object.freeze(buildCatalogue().map((info) => Object.freeze(info)));

const CATALOGUE_TYPES = new Set(EVENT_CATALOGUE.map((info) => info.type));

export function isCatalogueType(type: string): boolean {
  return CATALOGUE_TYPES.has(type);
}
