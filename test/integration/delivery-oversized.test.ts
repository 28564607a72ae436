import {
  createWebhook,
  distinctMessages,
  envelopeOf,
  flush,
  issueCreated,
  requestsOfType,
  startBedWithReceiver,
  startDeliveryBed,
  type DeliveryBed,
  type Envelope,
} from './support/delivery-bed';
import { SEC_TASK, jiraIssueEvent } from './support/jira-events';
import type { Receiver } from './support/receiver';
import { PRODUCT_EVENT_MAX_BYTES } from '../../dev/strictness';

/**
 * The app trims an event to 64 KB (src/app/pipeline/render-body.ts MAX_EVENT_BYTES) field by field, with a
 * marker, and never drops it. Forge itself drops a product event over 200 KB before any trigger runs (the
 * local host does the same: dev/strictness.ts PRODUCT_EVENT_MAX_BYTES), so the largest product event the
 * app can get is just under 200 KB: the trimming tests use those, and one test shows a larger one never
 * reaches the app. The audit-log poll reads records from Jira's REST API, where no 200 KB limit applies.
 */
const HOST = 'siem.example.test';
const KB = 1024;
const MB = 1024 * KB;
/** What the app trims a custom webhook's body to. */
const APP_MAX_BODY_BYTES = 64 * KB;

/** ASCII text that is not one repeated character, so a cut in the wrong place would show. */
const bigText = (bytes: number): string => {
  const words: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i += 1) {
    const word = `word${i} `;
    words.push(word);
    size += word.length;
  }
  return words.join('').slice(0, bytes);
};
/** The marker the app puts where it cut a field. */
const MARKER = /\[trimmed by Audit Webhooks: \d+ → \d+ bytes\]/;
const withoutMarker = (text: string): string => text.replace(/… \[trimmed.*$/, '');

const eventBytes = (event: unknown): number => Buffer.byteLength(JSON.stringify(event));

/**
 * The event `make` builds around the longest description with which it is still a product event Forge
 * delivers (at most 200 KB of JSON), and that description.
 */
const largestDeliveredEvent = <E>(make: (description: string) => E): { event: E; description: string } => {
  const empty = eventBytes(make(''));
  const perByte = (eventBytes(make(bigText(1000))) - empty) / 1000; // 2 when the text is in the event twice
  let length = Math.floor((PRODUCT_EVENT_MAX_BYTES - empty) / perByte);
  while (eventBytes(make(bigText(length))) > PRODUCT_EVENT_MAX_BYTES) length -= 1;
  const description = bigText(length);
  return { event: make(description), description };
};

/** The event is one Forge delivers, yet its description alone is too big for the app's body limit. */
const expectDeliverableButOversized = (event: unknown, description: string): void => {
  expect(eventBytes(event)).toBeLessThanOrEqual(PRODUCT_EVENT_MAX_BYTES);
  expect(eventBytes(event)).toBeGreaterThan(PRODUCT_EVENT_MAX_BYTES - 16);
  expect(Buffer.byteLength(description)).toBeGreaterThan(APP_MAX_BODY_BYTES);
};

const issueUpdatedDescription = (description: string) =>
  jiraIssueEvent(
    'avi:jira:updated:issue',
    { id: '30001', key: 'SEC-77', fields: { summary: 'Huge description', ...SEC_TASK, description } },
    { changelog: { id: '90001', items: [{ field: 'description', fieldtype: 'jira', from: null, fromString: 'short', to: null, toString: description }] } },
  );

const issueTypeCreated = (description: string) => ({ eventType: 'avi:jira:created:issuetype', issueType: { id: '10050', name: 'Incident', description } });

describe('delivery engine: oversized events are trimmed with a marker, never dropped', () => {
  let bed: DeliveryBed;
  let receiver: Receiver;
  beforeEach(async () => {
    ({ bed, receiver } = await startBedWithReceiver(HOST));
  });
  afterEach(() => bed.close());

  /** The one message of this type the receiver got (a repeat of the same message, at-least-once, is not a second one). */
  const theMessage = (type: string): { envelope: Envelope; bytes: number } => {
    const messages = distinctMessages(requestsOfType(receiver, type));
    expect(messages).toHaveLength(1);
    const [request] = messages;
    return { envelope: envelopeOf(request!) as Envelope, bytes: Buffer.byteLength(request!.body) };
  };

  /** Forge handed the event to the app's trigger: it was not dropped for its size. */
  const expectHandedToTheApp = (): void => {
    expect(bed.host.stats().triggers.oversized).toBe(0);
    expect(bed.host.stats().triggers.invocations).toBeGreaterThan(0);
  };

  it('an issue edit of a description just under the 200 KB Forge delivers arrives once, the change and the description cut with the marker', async () => {
    await createWebhook(bed, { url: `https://${HOST}/hook`, events: ['*'] });
    const { event, description } = largestDeliveredEvent(issueUpdatedDescription);
    expectDeliverableButOversized(event, description);
    await bed.host.fireEvent(event);
    await flush(bed.host);
    expectHandedToTheApp();
    const update = theMessage('issue.updated');
    expect(update.bytes).toBeLessThanOrEqual(APP_MAX_BODY_BYTES);
    expect((update.envelope.data.object as { key: string }).key).toBe('SEC-77');
    const change = (update.envelope.data.changes as { field: string; to?: string }[]).find((c) => c.field === 'description');
    expect(change?.to).toMatch(MARKER);
    expect(change?.to).toContain(`[trimmed by Audit Webhooks: ${Buffer.byteLength(description)} → `);
    expect(withoutMarker(change?.to ?? '').length).toBeGreaterThan(0);
    expect(description.startsWith(withoutMarker(change?.to ?? ''))).toBe(true);
    // The issue's full description travels in data.details too: fitPayload cuts it to fit the 64 KB body.
    const details = update.envelope.data.details as { description: string };
    expect(details.description).toMatch(MARKER);
    expect(description.startsWith(withoutMarker(details.description))).toBe(true);
    expect(update.envelope.data.trimmed).toEqual([{ path: 'data.details.description', originalBytes: Buffer.byteLength(description) }]);
    expect(bed.host.stats().recentErrors).toEqual([]);
  });

  it('a created issue with a description just under the 200 KB Forge delivers arrives once, trimmed to 64 KB with the marker', async () => {
    await createWebhook(bed, { url: `https://${HOST}/hook`, events: ['*'] });
    const { event, description } = largestDeliveredEvent((text) => issueCreated(5, { description: text }));
    expectDeliverableButOversized(event, description);
    await bed.host.fireEvent(event);
    await flush(bed.host);
    expectHandedToTheApp();
    const created = theMessage('issue.created');
    expect(created.bytes).toBeLessThanOrEqual(APP_MAX_BODY_BYTES);
    expect((created.envelope.data.object as { key: string }).key).toBe('SEC-5');
    const details = created.envelope.data.details as { description: string };
    expect(details.description).toMatch(MARKER);
    expect(description.startsWith(withoutMarker(details.description))).toBe(true);
    // Trimmed just enough: most of the 64 KB is description, not a few hundred bytes of it.
    expect(withoutMarker(details.description).length).toBeGreaterThan(APP_MAX_BODY_BYTES / 2);
    expect(created.envelope.data.trimmed).toEqual([{ path: 'data.details.description', originalBytes: Buffer.byteLength(description) }]);
  });

  it('an issue type with a description just under the 200 KB Forge delivers is trimmed field by field and listed in data.trimmed', async () => {
    await createWebhook(bed, { url: `https://${HOST}/hook`, events: ['*'] });
    const { event, description } = largestDeliveredEvent(issueTypeCreated);
    expectDeliverableButOversized(event, description);
    await bed.host.fireEvent(event);
    await flush(bed.host);
    expectHandedToTheApp();
    const created = theMessage('issuetype.created');
    expect(created.bytes).toBeLessThanOrEqual(APP_MAX_BODY_BYTES);
    const details = created.envelope.data.details as { description: string; issueTypeName: string };
    expect(details.issueTypeName).toBe('Incident');
    expect(details.description).toMatch(MARKER);
    expect(description.startsWith(withoutMarker(details.description))).toBe(true);
    expect(created.envelope.data.trimmed).toEqual([{ path: 'data.details.description', originalBytes: Buffer.byteLength(description) }]);
  });

  it('a Slack webhook gets an issue edit just under the 200 KB Forge delivers as one message within Slack limits', async () => {
    await bed.close();
    bed = await startDeliveryBed(['hooks.slack.com']);
    const slack = bed.receivers['hooks.slack.com'] as Receiver;
    await createWebhook(bed, { kind: 'slack', name: 'Slack', url: 'https://hooks.slack.com/services/T0000/B0000/slacktoken123456', events: ['*'] });
    const { event, description } = largestDeliveredEvent(issueUpdatedDescription);
    expectDeliverableButOversized(event, description);
    await bed.host.fireEvent(event);
    await flush(bed.host);
    expectHandedToTheApp();
    const posts = distinctMessages(slack.requests.filter((r) => r.body.includes('SEC-77')));
    expect(posts).toHaveLength(1);
    expect(Buffer.byteLength(posts[0]?.body ?? '')).toBeLessThan(40 * KB);
  });

  it('a 1 MB audit record from the Jira audit log (no 200 KB limit there) arrives once, trimmed to 64 KB with the marker', async () => {
    await createWebhook(bed, { url: `https://${HOST}/hook`, events: ['*'] });
    const summary = `${bigText(MB - 1)}.`; // Jira's summary as is: 1 MB, no trailing space the app would trim
    bed.host.addAuditRecords([
      {
        id: 20001,
        created: bed.host.now().toISOString().replace('Z', '+0000'),
        summary,
        category: 'group management',
        objectItem: { id: 'site-admins', name: 'site-admins', typeName: 'GROUP' },
      },
    ]);
    await bed.host.runScheduled('audit-log-poll');
    await flush(bed.host);
    const record = theMessage('audit.group_management');
    expect(record.bytes).toBeLessThanOrEqual(APP_MAX_BODY_BYTES);
    const original = record.envelope.data.original as { recordId: string; summary: string };
    expect(original.recordId).toBe('20001');
    expect(original.summary).toMatch(MARKER);
    expect(summary.startsWith(withoutMarker(original.summary))).toBe(true);
    expect(record.envelope.data.trimmed).toEqual([{ path: 'data.original.summary', originalBytes: MB }]);
  });
});

describe('Forge: a product event over 200 KB is never delivered', () => {
  let bed: DeliveryBed;
  let receiver: Receiver;
  beforeEach(async () => {
    ({ bed, receiver } = await startBedWithReceiver(HOST));
  });
  afterEach(() => bed.close());

  it('an issue created with a 1 MB description is dropped by Forge, counted as oversized, and no webhook gets anything', async () => {
    await createWebhook(bed, { url: `https://${HOST}/hook`, events: ['*'] });
    const before = bed.host.stats().triggers;
    const event = issueCreated(6, { description: bigText(MB) });
    expect(eventBytes(event)).toBeGreaterThan(PRODUCT_EVENT_MAX_BYTES);
    expect(await bed.host.fireEvent(event)).toEqual({ invocations: 0 });
    await flush(bed.host);
    const after = bed.host.stats().triggers;
    expect(after.oversized - before.oversized).toBe(1);
    expect(after.invocations).toBe(before.invocations);
    expect(requestsOfType(receiver, 'issue.created')).toEqual([]);
    expect(receiver.requests.filter((r) => r.body.includes('SEC-6'))).toEqual([]);
    expect((await bed.admin('deliveries.list', {})).deliveries).toEqual([]);
  });
});
