import { createWebhook, envelopeOf, flush, issueCreated, startBedWithReceiver, startDeliveryBed, type DeliveryBed, type Envelope } from './support/delivery-bed';
import { SEC_TASK, jiraIssueEvent } from './support/jira-events';
import type { Receiver } from './support/receiver';

const HOST = 'siem.example.test';
const MB = 1024 * 1024;
/** A 1 MB description that is not one repeated character, so a cut in the wrong place would show. */
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

const issueUpdatedDescription = (description: string) =>
  jiraIssueEvent(
    'avi:jira:updated:issue',
    { id: '30001', key: 'SEC-77', fields: { summary: 'Huge description', ...SEC_TASK, description } },
    { changelog: { id: '90001', items: [{ field: 'description', fieldtype: 'jira', from: null, fromString: 'short', to: null, toString: description }] } },
  );

describe('delivery engine: oversized events are trimmed with a marker, never dropped', () => {
  let bed: DeliveryBed;
  let receiver: Receiver;
  beforeEach(async () => {
    ({ bed, receiver } = await startBedWithReceiver(HOST));
  });
  afterEach(() => bed.close());

  const received = (type: string): { envelope: Envelope; bytes: number }[] =>
    receiver.requests.flatMap((r) => {
      const envelope = envelopeOf(r);
      return envelope && envelope.type === type ? [{ envelope, bytes: Buffer.byteLength(r.body) }] : [];
    });

  it('a 1 MB issue description edit arrives trimmed with the marker', async () => {
    await createWebhook(bed, { url: `https://${HOST}/hook`, events: ['*'] });
    const description = bigText(MB);
    await bed.host.fireEvent(issueUpdatedDescription(description));
    await flush(bed.host);
    const [update] = received('issue.updated');
    expect(update).toBeDefined();
    expect(update?.bytes).toBeLessThan(200 * 1024);
    const body = JSON.stringify(update?.envelope);
    expect(body).toMatch(MARKER);
    const change = (update?.envelope.data.changes as { field: string; to?: string }[]).find((c) => c.field === 'description');
    expect(change?.to).toMatch(MARKER);
    expect(description.startsWith((change?.to ?? '').replace(/… \[trimmed.*$/, ''))).toBe(true);
    expect(bed.host.stats().recentErrors).toEqual([]);
  });

  it('a created issue with a 1 MB description arrives with the description trimmed with the marker', async () => {
    await createWebhook(bed, { url: `https://${HOST}/hook`, events: ['*'] });
    const description = bigText(MB);
    await bed.host.fireEvent(issueCreated(5, { description }));
    await flush(bed.host);
    const [created] = received('issue.created');
    expect(created).toBeDefined();
    expect(created?.bytes).toBeLessThanOrEqual(64 * 1024);
    expect((created?.envelope.data.object as { key: string }).key).toBe('SEC-5');
    const details = created?.envelope.data.details as { description: string };
    expect(details.description).toMatch(MARKER);
    expect(description.startsWith(details.description.replace(/… \[trimmed.*$/, ''))).toBe(true);
    expect(created?.envelope.data.trimmed).toEqual([{ path: 'data.details.description', originalBytes: MB }]);
  });

  it('a 1 MB issue type description is trimmed field by field and listed in data.trimmed', async () => {
    await createWebhook(bed, { url: `https://${HOST}/hook`, events: ['*'] });
    const description = bigText(MB);
    await bed.host.fireEvent({ eventType: 'avi:jira:created:issuetype', issueType: { id: '10050', name: 'Incident', description } });
    await flush(bed.host);
    const [event] = received('issuetype.created');
    expect(event).toBeDefined();
    expect(event?.bytes).toBeLessThanOrEqual(64 * 1024);
    const details = event?.envelope.data.details as { description: string; issueTypeName: string };
    expect(details.issueTypeName).toBe('Incident');
    expect(details.description).toMatch(MARKER);
    expect(description.startsWith(details.description.replace(/… \[trimmed.*$/, ''))).toBe(true);
    expect(event?.envelope.data.trimmed).toEqual([{ path: 'data.details.description', originalBytes: MB }]);
  });

  it('a Slack webhook gets the oversized event as a message within Slack limits', async () => {
    await bed.close();
    bed = await startDeliveryBed(['hooks.slack.com']);
    const slack = bed.receivers['hooks.slack.com'] as Receiver;
    await createWebhook(bed, { kind: 'slack', name: 'Slack', url: 'https://hooks.slack.com/services/T0000/B0000/slacktoken123456', events: ['*'] });
    await bed.host.fireEvent(issueUpdatedDescription(bigText(MB)));
    await flush(bed.host);
    const posts = slack.requests.filter((r) => r.body.includes('SEC-77'));
    expect(posts).toHaveLength(1);
    expect(Buffer.byteLength(posts[0]?.body ?? '')).toBeLessThan(40 * 1024);
  });
});
