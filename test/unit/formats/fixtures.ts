import type { AuditEvent } from '../../../src/domain/events';
import type { FormattableEvent } from '../../../src/domain/formats';

/** A realistic normalised event, typed as the events module's model to prove it conforms to ours. */
export function issueUpdated(overrides: Partial<AuditEvent['data']> = {}): AuditEvent {
  return {
    id: 'evt_issue_10001_1700000000000',
    type: 'issue.updated',
    timestamp: '2026-03-01T12:34:56.000Z',
    data: {
      source: 'product-event',
      actor: { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Mia Krystof' },
      object: { type: 'issue', id: '10001', key: 'SP-10', name: 'A descriptive title', parent: { type: 'project', key: 'SP' } },
      summary: 'Issue SP-10 "A descriptive title" was updated',
      changes: [{ field: 'status', from: 'To Do', to: 'In Progress' }],
      original: { eventType: 'avi:jira:updated:issue' },
      ...overrides,
    },
  };
}

// Compile-time check: the events module's AuditEvent is assignable to the formats' minimal shape.
export const conforms: FormattableEvent = issueUpdated();
