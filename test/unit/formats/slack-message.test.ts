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
    // Event content goes as plain_text: shown as typed, never formatted.
    expect(facts?.type === 'section' && facts.fields).toEqual([
      { type: 'plain_text', text: 'Actor\nMia Krystof', emoji: false },
      { type: 'plain_text', text: 'Object\nissue SP-10 “A descriptive title”', emoji: false },
      { type: 'plain_text', text: 'Source\nJira event', emoji: false },
    ]);
    expect(allText(message)).toContain('• status: To Do → In Progress');
    expect(allText(message)).toContain('*When* <!date^1772368496^{date_short_pretty} {time_secs}|2026-03-01T12:34:56.000Z>');
  });

  it('links the issue in Jira when the site is known, on a URL the app builds', () => {
    const linked = slackMessage(issueUpdated(), { siteUrl: 'https://acme.atlassian.net' });
    expect(allText(linked)).toContain('<https://acme.atlassian.net/browse/SP-10|Open SP-10 in Jira>');
    expect(allText(slackMessage(issueUpdated()))).not.toContain('/browse/');
    // A key that is not a Jira key is never put in a URL.
    const odd = slackMessage(issueUpdated({ object: { type: 'issue', key: 'SP-1|x>' } }), { siteUrl: 'https://acme.atlassian.net' });
    expect(allText(odd)).not.toContain('/browse/');
  });

  it('shows markup in event text as typed: plain_text, so nothing is formatted or linked', () => {
    const typed = '<!channel> *bold* _it_ ~gone~ `code` [link](x) <script>alert(1)</script>';
    const message = slackMessage(issueUpdated({ summary: typed }));
    expect(message.blocks[1]).toEqual({ type: 'section', text: { type: 'plain_text', text: typed, emoji: false } });
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
    // mrkdwn holds only what the app builds (the date token, the event id): no control sequence from the event.
    const mrkdwn = JSON.stringify(message.blocks.flatMap((block) => ('elements' in block ? block.elements : block.type === 'section' ? [block.text, ...(block.fields ?? [])] : [])).filter((t) => t?.type === 'mrkdwn'));
    const withoutDate = mrkdwn.replace(/<!date\^\d+\^\{date_short_pretty\} \{time_secs\}\|[0-9TZ:.-]+>/, '');
    expect(withoutDate).not.toMatch(/[<>]/);
    // Event text is plain_text, which Slack never parses: shown as typed, no mention.
    expect(message.blocks[1]).toEqual({ type: 'section', text: { type: 'plain_text', text: hostile, emoji: false } });
    expect(message.text).toContain('&lt;!channel&gt;');
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
    expect(allText(message)).toMatch(/…and \d+ more changes/);
  });

  it('copes with a minimal event (no actor, object, changes or source)', () => {
    const message = slackMessage({ id: 'e1', type: 'audit.user_management', timestamp: 'not a date', data: {} });
    expect(message.text).toBe('audit.user_management: audit.user_management');
    expect(allText(message)).toContain('Not given by Jira');
    expect(allText(message)).toContain('not a date');
  });
});
