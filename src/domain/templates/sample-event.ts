import { EVENT_CATALOGUE, PRODUCT_EVENT_TYPES, type AuditEvent, type EventTypeInfo } from '../events';

/**
 * A made-up event of each catalogue type, in the shape docs/events.md documents, for checking a template
 * before it is saved and for the form's preview. The values are fixed (no clock, no ids) so a preview
 * shows the same body every time; the fields are the ones a real event of that source carries.
 */

const ACTOR = { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Mia Krystof' };
const PROJECT = { type: 'project', id: '10000', key: 'SEC', name: 'Security' };
const TIMESTAMP = '2026-11-20T10:02:11.000Z';

const FORGE_EVENT_OF_TYPE: ReadonlyMap<string, string> = new Map(Object.entries(PRODUCT_EVENT_TYPES).map(([forgeEvent, mapping]) => [mapping.type, forgeEvent]));

/** The object of a product event, from the first part of its type (issue.created -> issue). */
const productObject = (noun: string): AuditEvent['data']['object'] => {
  switch (noun) {
    case 'issue':
    case 'comment':
    case 'worklog':
    case 'attachment':
    case 'issuelink':
      return noun === 'issue'
        ? { type: 'issue', id: '10042', key: 'SEC-42', name: 'Login page returns 500 after password reset', parent: PROJECT }
        : { type: noun, id: '10200', parent: { type: 'issue', id: '10042', key: 'SEC-42', name: 'Login page returns 500 after password reset' } };
    case 'project':
      return { type: 'project', id: PROJECT.id, key: PROJECT.key, name: PROJECT.name };
    case 'user':
      return { type: 'user', id: '712020:0e1c8a52-5c39-4f6c-9a61-1c0d3f6b8e11', name: 'New Starter' };
    default:
      return { type: noun, id: '10300', name: `Sample ${noun.replace(/_/g, ' ')}` };
  }
};

const productSample = (info: EventTypeInfo): AuditEvent['data'] => {
  const noun = info.type.split('.')[0] ?? 'item';
  const object = productObject(noun);
  const updated = info.type.endsWith('.updated');
  return {
    source: 'product-event',
    actor: ACTOR,
    object,
    summary: `${object.type === 'issue' ? `Issue ${object.key ?? ''} "${object.name ?? ''}"` : `A ${noun.replace(/_/g, ' ')}`} was ${info.type.split('.').slice(1).join(' ')}`,
    ...(updated ? { changes: [{ field: 'status', from: 'To Do', to: 'In Progress' }] } : {}),
    original: { eventType: FORGE_EVENT_OF_TYPE.get(info.type) ?? `avi:jira:${info.type.split('.').reverse().join(':')}` },
    details:
      object.type === 'issue'
        ? { issueId: '10042', issueKey: 'SEC-42', summary: object.name, status: 'In Progress', issueType: 'Bug', project: { id: PROJECT.id, key: PROJECT.key, name: PROJECT.name } }
        : {},
  };
};

const auditSample = (info: EventTypeInfo): AuditEvent['data'] => ({
  source: 'audit-log',
  actor: ACTOR,
  object: { type: 'PERMISSION_SCHEME', id: '10001', name: 'Default software scheme' },
  summary: 'Permission scheme updated',
  changes: [{ field: 'Permission', from: 'Browse projects: Any logged in user', to: 'Browse projects: jira-users' }],
  remoteAddress: '192.0.2.10',
  associatedItems: [{ type: 'PROJECT', id: '10000', name: 'Security' }],
  original: { category: info.type === 'audit.other' ? 'Other' : info.type.slice('audit.'.length).replace(/_/g, ' '), summary: 'Permission scheme updated', recordId: '1044' },
});

const appSample = (info: EventTypeInfo): AuditEvent['data'] => ({
  source: 'app',
  actor: ACTOR,
  object: { type: 'webhook', id: 'wh_sample', name: 'SIEM' },
  summary: `Webhook "SIEM" ${info.type.split('.').slice(2).join(' ').replace(/_/g, ' ')}`,
  original: {},
  details: {},
});

const sampleOf = (info: EventTypeInfo): AuditEvent => ({
  id: `sample-${info.type}`,
  type: info.type,
  timestamp: TIMESTAMP,
  data: info.source === 'product-event' ? productSample(info) : info.source === 'audit-log' ? auditSample(info) : appSample(info),
});

const SAMPLES: ReadonlyMap<string, AuditEvent> = new Map(EVENT_CATALOGUE.map((info) => [info.type, sampleOf(info)]));

/** The sample of one catalogue type, or undefined for a type the catalogue does not have. */
export const sampleEvent = (type: string): AuditEvent | undefined => SAMPLES.get(type);

/** The types a subscription covers, in catalogue order (`*`: every type). */
export const subscribedSampleTypes = (events: readonly string[]): string[] =>
  events.includes('*') ? EVENT_CATALOGUE.map((info) => info.type) : events.filter((type) => SAMPLES.has(type));
