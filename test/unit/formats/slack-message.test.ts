import { SLACK_LIMITS, escapeAndTruncate, escapeSlackText, slackBlockTextLength, slackMessage, type SlackMessage } from '../../../src/domain/formats';
import { issueUpdated } from './fixtures';

function allText(message: SlackMessage): string {
  return JSON.stringify(message);
}

describe('Slack message', () => {
  it('has a fallback text and header, summary, facts and context blocks', () => {
    const message = slackMessage(issueUpdated());
    expect(message.text).toBe('issue.updated: Issue SP-10 "A descriptive title" was updated');
    expect(message.unfurl_links).toBe(false);
    expect(message.blocks.map((block) => block.type)).toEqual(['header', 'section', 'section', 'section', 'context']);
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'issue.updated', emoji: false } });
    const facts = message.blocks[2];
    expect(facts?.type === 'section' && facts.fields?.map((field) => field.text)).toEqual([
      '*Actor*\nMia Krystof',
      '*Object*\nissue SP-10 “A descriptive title”',
      '*Time*\n<!date^1772368496^{date_short_pretty} {time_secs}|2026-03-01T12:34:56.000Z>',
      '*Source*\nJira event',
    ]);
    expect(allText(message)).toContain('• *status*: To Do → In Progress');
  });

  it('makes mentions, broadcasts and masked links from event content inert', () => {
    const hostile = '<!channel> <!here> <@U0123> <https://evil.example/phish|Reset your password> & &amp;';
    const message = slackMessage(
      issueUpdated({
        summary: hostile,
        actor: { displayName: '<!everyone>' },
        object: { type: 'issue', key: '<!subteam^S1>' },
        changes: [{ field: '<b>', from: '<!channel>', to: '>' }],
      }),
    );
    const text = allText(message);
    // The only control sequence allowed is the date token built from the parsed timestamp.
    const withoutDate = text.replace(/<!date\^\d+\^\{date_short_pretty\} \{time_secs\}\|[0-9TZ:.-]+>/, '');
    expect(withoutDate).not.toMatch(/[<>]/);
    expect(text).not.toContain('<https://evil');
    expect(text).toContain('&lt;!channel&gt; &lt;!here&gt; &lt;@U0123&gt; &lt;https://evil.example/phish|Reset your password&gt; &amp; &amp;amp;');
  });

  it('escapes exactly &, < and >', () => {
    expect(escapeSlackText('a & b < c > d *e* _f_')).toBe('a &amp; b &lt; c &gt; d *e* _f_');
  });

  it('never cuts an entity in half when truncating', () => {
    const cut = escapeAndTruncate('&'.repeat(100), 12);
    expect(cut).toBe('&amp;&amp;…');
    expect(cut.length).toBeLessThanOrEqual(12);
  });

  it('stays inside Slack limits for a huge event', () => {
    const huge = 'x<y&'.repeat(250_000);
    const message = slackMessage(
      issueUpdated({
        summary: huge,
        actor: { displayName: huge },
        object: { type: 'issue', key: huge, name: huge },
        changes: Array.from({ length: 500 }, (_, index) => ({ field: `field${index}${huge.slice(0, 500)}`, from: huge, to: huge })),
      }),
    );
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    for (const block of message.blocks) {
      if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
      if (block.type === 'section') {
        expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
        expect(block.fields?.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.sectionFields);
        for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
      }
    }
    expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    expect(slackBlockTextLength(message)).toBeLessThanOrEqual(SLACK_LIMITS.totalBlockText);
    expect(allText(message)).toMatch(/_…and \d+ more changes_/);
  });

  it('copes with a minimal event (no actor, object, changes or source)', () => {
    const message = slackMessage({ id: 'e1', type: 'audit.user_management', timestamp: 'not a date', data: {} });
    expect(message.text).toBe('audit.user_management: audit.user_management');
    expect(allText(message)).toContain('Not given by Jira');
    expect(allText(message)).toContain('not a date');
  });
});
