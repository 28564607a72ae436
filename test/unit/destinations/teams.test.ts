import type { BatchItem, RenderContext, Settings } from '../../../src/domain/destinations/contract';
import {
  cutText,
  escapeTeamsMarkdown,
  jiraLink,
  teamsDestination as teams,
  TEAMS_DIGEST_LISTED,
  TEAMS_MAX_BODY_BYTES,
} from '../../../src/domain/destinations/teams';
import type { FormattableEvent } from '../../../src/domain/formats';
import { utf8Bytes } from '../../../src/domain/formats/utf8';
import { adaptiveCardProblems, cardTexts, checkTeamsRequest, TEAMS_MESSAGE_LIMIT_BYTES } from '../../integration/support/vendors/teams';
import { issueUpdated } from '../formats/fixtures';

const NOW = new Date('2026-03-01T12:00:00Z');
const SITE: RenderContext = { siteHost: 'acme.atlassian.net', siteUrl: 'https://acme.atlassian.net', adminPageUrl: 'https://acme.atlassian.net/jira/settings/apps/audit-webhooks' };
const WORKFLOW_URL =
  'https://default0ba07df5470948529c6e5a4eeb907c.dd.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/bd86f6a973404632b3bccd8c51619ed8/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=ztAbcdefghijklmnopqrstuvwxyz0123456789ABCDE';
const LOGIC_APP_URL =
  'https://prod-03.westus.logic.azure.com:443/workflows/c4ed9335bc864140a11f4508d19acea3/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const MARKUP = '<!channel> *bold* _it_ [link](x) <script>alert(1)</script>';
const ONE_MB = 'x'.repeat(1_000_000);

const settingsOf = (input: Record<string, unknown>): Settings => {
  const result = teams.settingsSchema.safeParse(input);
  if (!result.success) throw new Error(JSON.stringify(result.error.issues));
  return result.data;
};
const problemsOf = (input: unknown): Record<string, string> => {
  const result = teams.settingsSchema.safeParse(input);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
};
const urlProblems = (raw: string): string[] => teams.urlProblems(new URL(raw), {});
const DEFAULTS = settingsOf({});

const item = (event: FormattableEvent, index = 0): BatchItem => ({ msgId: `msg_${index}`, event });
const many = (count: number, make: (index: number) => FormattableEvent = (index) => ({ ...issueUpdated(), id: `evt_${index}` })): BatchItem[] =>
  Array.from({ length: count }, (_, index) => item(make(index), index));

/** Every body rendered in these tests goes through here: Microsoft's parser, the size limit and the Workflow's envelope. */
function render(items: readonly BatchItem[], context: RenderContext = SITE, settings: Settings = DEFAULTS) {
  const body = teams.render(items, settings, context);
  const check = checkTeamsRequest({ method: 'POST', path: '/powerautomate/automations/direct/workflows/x/triggers/manual/paths/invoke?api-version=1&sig=abc', headers: { 'content-type': teams.contentType }, body });
  expect(check.problems).toEqual([]);
  expect(check.cards).toBe(1);
  expect(utf8Bytes(body)).toBeLessThanOrEqual(TEAMS_MAX_BODY_BYTES);
  expect(utf8Bytes(body)).toBeLessThan(TEAMS_MESSAGE_LIMIT_BYTES);
  // No cut ever leaves half a surrogate pair (JSON.stringify writes a lone one as \udXXX).
  expect(body).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
  const message = JSON.parse(body) as { attachments: [{ content: { body: unknown[]; actions?: { type: string; title: string; url: string }[] } }] };
  const card = message.attachments[0].content;
  return { body, check, card, texts: cardTexts(card), actions: card.actions ?? [] };
}

const userEvent = (): FormattableEvent => ({
  id: 'audit-12345',
  type: 'user.created',
  timestamp: '2026-03-02T08:00:00.000Z',
  data: { source: 'audit-log', actor: { accountId: '557058:f00' }, object: { type: 'user', id: '5b10a2844c20165700ede21g', name: 'New Person' }, summary: 'User created' },
});
const projectEvent = (): FormattableEvent => ({
  id: 'pe-0123456789abcdef0123456789abcdef',
  type: 'project.created',
  timestamp: '2026-03-02T09:15:00.000Z',
  data: { source: 'product-event', actor: { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Mia Krystof' }, object: { type: 'project', id: '10000', key: 'SP', name: 'Sample Project' }, summary: 'Project SP "Sample Project" was created' },
});
const appEvent = (): FormattableEvent => ({
  id: 'app-0123',
  type: 'app.webhook.secret_added',
  timestamp: '2026-03-02T10:00:00.000Z',
  data: { source: 'app', actor: {}, summary: 'A signing secret was added to webhook "SIEM"' },
});

describe('Teams module', () => {
  it('takes an entered URL and none of the common signing, authorization, header or method fields', () => {
    expect(teams.kind).toBe('teams');
    expect(teams.common).toMatchObject({ url: 'entered', method: false, signing: false, authorization: false, headers: false });
    expect(teams.forcedMask).toBe('query');
    expect(teams.auth({})).toEqual({ type: 'none' });
    expect(teams.requestUrl(WORKFLOW_URL, {})).toBe(WORKFLOW_URL);
    expect(teams.egressUrls(WORKFLOW_URL, {})).toEqual([WORKFLOW_URL]);
    expect(teams.batch).toBeUndefined();
    expect(teams.contentType).toBe('application/json; charset=utf-8');
  });

  it('sends one request at a time, a second apart (Teams throttles above 4 requests a second)', () => {
    expect(teams.pacing).toEqual({ parallel: 1, spacingMs: 1_000 });
    expect(teams.pacing.spacingMs).toBeGreaterThanOrEqual(250);
  });

  it('summarises bursts: digestThreshold, 10 by default, 0 to 100, at most 100 events a digest', () => {
    expect(teams.digest).toEqual({ thresholdSetting: 'digestThreshold', defaultThreshold: 10, maxEvents: 100 });
    expect(teams.fields).toHaveLength(1);
    expect(teams.fields[0]).toMatchObject({ key: 'digestThreshold', type: 'number', required: false, defaultValue: 10, min: 0, max: 100, label: 'Summarise when more than this many events are due at once' });
    expect(teams.fields[0]?.help).toMatch(/0 turns summaries off/);
  });
});

describe('Teams settings', () => {
  it('defaults the threshold to 10 and accepts 0 (off) to 100', () => {
    expect(settingsOf({})).toEqual({ digestThreshold: 10 });
    expect(settingsOf({ digestThreshold: 0 })).toEqual({ digestThreshold: 0 });
    expect(settingsOf({ digestThreshold: 100 })).toEqual({ digestThreshold: 100 });
  });

  it('refuses a threshold outside 0..100, a fraction, text or an unknown field, naming the field', () => {
    expect(problemsOf({ digestThreshold: 101 }).digestThreshold).toBe('Use at most 100 for Summarise when more than this many events are due at once.');
    expect(problemsOf({ digestThreshold: -1 }).digestThreshold).toMatch(/^Use at least 0 for Summarise/);
    expect(problemsOf({ digestThreshold: 2.5 }).digestThreshold).toMatch(/^Enter Summarise .* as a whole number from 0 to 100\.$/);
    expect(problemsOf({ digestThreshold: 'ten' }).digestThreshold).toMatch(/whole number/);
    expect(Object.values(problemsOf({ channel: 'x' })).join(' ')).toMatch(/Microsoft Teams settings as an object with these fields: digestThreshold/);
  });
});

describe('Teams Workflow URLs', () => {
  it('accepts a Workflow URL on *.environment.api.powerplatform.com (with or without /cu/<n>/) and an Azure Logic App URL', () => {
    expect(urlProblems(WORKFLOW_URL)).toEqual([]);
    expect(urlProblems(WORKFLOW_URL.replace('/direct/workflows/', '/direct/cu/21/workflows/'))).toEqual([]);
    expect(urlProblems(LOGIC_APP_URL)).toEqual([]);
  });

  it('refuses retired Office 365 connector URLs and says to create a Workflow', () => {
    for (const url of [
      'https://acme.webhook.office.com/webhookb2/1234@5678/IncomingWebhook/abcd/efgh',
      'https://outlook.office.com/webhook/1234@5678/IncomingWebhook/abcd/efgh',
    ]) {
      const [problem, ...rest] = urlProblems(url);
      expect(rest).toEqual([]);
      expect(problem).toMatch(/Office 365 connector .* retired/);
      expect(problem).toMatch(/create a Workflow/);
      expect(problem).toMatch(/Send webhook alerts to a channel/);
    }
  });

  it('refuses the Power Automate portal and other hosts, naming the hosts Workflows use', () => {
    expect(urlProblems('https://make.powerautomate.com/environments/x/flows/y')[0]).toMatch(/Power Automate page, not a Workflow trigger URL/);
    const [other] = urlProblems('https://hooks.slack.com/services/T000/B000/xxxx');
    expect(other).toMatch(/\.environment\.api\.powerplatform\.com/);
    expect(other).toMatch(/\.logic\.azure\.com/);
    expect(urlProblems('https://environment.api.powerplatform.com.evil.example/workflows/x')[0]).toMatch(/Use the URL of a Teams Workflow/);
  });

  it('requires the sig= token, the trigger path and the default port', () => {
    expect(urlProblems(WORKFLOW_URL.replace(/&sig=[^&]+/, ''))).toEqual([expect.stringMatching(/no sig= token.*"Who can trigger the flow" to Anyone/)]);
    expect(urlProblems(WORKFLOW_URL.replace('/triggers/manual/paths/invoke', ''))).toEqual([expect.stringMatching(/\/workflows\/<id>\/triggers\/manual\/paths\/invoke/)]);
    expect(urlProblems(WORKFLOW_URL.replace(':443', ':8443'))).toEqual([expect.stringMatching(/Remove the port/)]);
  });
});

describe('Teams message for one event', () => {
  it('says what happened, who, which object (linked to the issue in Jira) and when, with the event type and id', () => {
    const { card, texts, actions, body } = render([item(issueUpdated())]);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(texts).toEqual([
      'issue.updated',
      'Issue SP-10 "A descriptive title" was updated',
      'Who: ',
      'Mia Krystof',
      'What: ',
      'issue SP-10 “A descriptive title”',
      '**When:** {{DATE(2026-03-01T12:34:56Z, SHORT)}} {{TIME(2026-03-01T12:34:56Z)}} (2026-03-01 12:34:56 UTC)',
      'Changes',
      'status: ',
      'To Do → In Progress',
      'Event evt_issue_10001_1700000000000 · Jira event',
    ]);
    expect(actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open SP-10 in Jira', url: 'https://acme.atlassian.net/browse/SP-10' }]);
    // No raw JSON: the original payload and details are not in the message.
    expect(body).not.toMatch(/avi:jira|"original"|"details"|"parent"/);
  });

  it('is wrapped as the Workflow template reads it', () => {
    const { body } = render([item(issueUpdated())]);
    const message = JSON.parse(body) as Record<string, unknown>;
    expect(message).toEqual({
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: expect.objectContaining({ $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' }) }],
    });
  });

  it('links a project to its Jira page and shows the account id when Jira gives no name', () => {
    expect(render([item(projectEvent())]).actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open SP in Jira', url: 'https://acme.atlassian.net/browse/SP' }]);
    const user = render([item(userEvent())]);
    expect(user.texts).toContain('Account 557058:f00');
    expect(user.texts).toContain('user “New Person”');
    expect(user.texts).toContain('Event audit-12345 · Jira audit log');
    expect(user.actions).toEqual([]);
    const app = render([item(appEvent())]);
    expect(app.texts).toEqual(expect.arrayContaining(['app.webhook.secret_added', 'Not given by Jira', 'Event app-0123 · Audit Webhooks configuration']));
  });

  it('shows the object as plain text when the site URL is unknown or not https', () => {
    expect(render([item(issueUpdated())], {}).actions).toEqual([]);
    expect(render([item(issueUpdated())], { siteUrl: 'javascript:alert(1)' }).actions).toEqual([]);
    expect(jiraLink({ type: 'issue', key: 'SP-10' }, 'http://acme.atlassian.net')).toBeUndefined();
    expect(jiraLink({ type: 'issue', key: 'SP-10/../../x' }, 'https://acme.atlassian.net')).toBeUndefined();
    expect(jiraLink({ type: 'issue', key: 'SP-10' }, 'https://acme.atlassian.net/')).toBe('https://acme.atlassian.net/browse/SP-10');
  });

  it('shows a summary full of markup exactly as typed, in a TextRun (no Markdown), and mentions no one', () => {
    const { body, card, texts } = render([item(issueUpdated({ summary: MARKUP, actor: { displayName: '<at>Everyone</at> **boss**' } }))]);
    expect(texts).toContain(MARKUP);
    expect(texts).toContain('<at>Everyone</at> **boss**');
    // Event text never lands in a Markdown field (TextBlock, Fact), and no mention entities are sent.
    const markdownFields = JSON.stringify(card.body.filter((element) => (element as { type: string }).type !== 'RichTextBlock'));
    expect(markdownFields).not.toMatch(/channel|script|boss|Everyone/);
    expect(body).not.toMatch(/msteams|"entities"|"mention"/);
  });

  it('stays small with a 1 MB description, a 1 MB summary, name and change, cutting with an ellipsis', () => {
    const huge = issueUpdated({
      summary: `${MARKUP} ${ONE_MB}`,
      actor: { accountId: 'a', displayName: ONE_MB },
      object: { type: 'issue', id: '1', key: 'SP-1', name: ONE_MB },
      changes: Array.from({ length: 50 }, (_, index) => ({ field: `description ${index}`, from: ONE_MB, to: `😀${ONE_MB}` })),
      details: { description: ONE_MB },
    });
    const { texts, body } = render([item(huge)]);
    expect(utf8Bytes(body)).toBeLessThan(TEAMS_MAX_BODY_BYTES);
    expect(texts[1]?.startsWith(MARKUP)).toBe(true);
    expect(texts[1]?.endsWith('…')).toBe(true);
    expect(texts).toContain('…and 45 more changes');
  });

  it('fits a summary of 4-byte characters and control characters', () => {
    const { body, texts } = render([item(issueUpdated({ summary: `${'😀\u0000\n'.repeat(30_000)}` }))]);
    expect(utf8Bytes(body)).toBeLessThan(TEAMS_MAX_BODY_BYTES);
    expect(texts[1]).toMatch(/^(😀 )+😀?…$/u);
  });

  it('refuses to render no event', () => {
    expect(() => teams.render([], DEFAULTS, SITE)).toThrow(/at least one event/);
  });
});

describe('Teams digest for several events', () => {
  const mixed = (count: number): BatchItem[] =>
    many(count, (index) => {
      const base = [issueUpdated(), projectEvent(), userEvent(), appEvent()][index % 4] as FormattableEvent;
      return { ...base, id: `${base.id}-${index}` };
    });

  it('has a title, counts per type, the first 5 items, "and N more" and a link to the delivery log', () => {
    const { texts, actions, card } = render(mixed(12));
    expect(texts[0]).toBe('12 Jira audit events');
    expect(texts[1]).toBe('From 2026-03-01 12:34:56 UTC to 2026-03-02 10:00:00 UTC. More than 10 events were due at once, so they are summarised in one message.');
    const factSet = card.body.find((element) => (element as { type: string }).type === 'FactSet') as { facts: { title: string; value: string }[] };
    expect(factSet.facts).toEqual([
      { title: 'app.webhook.secret\\_added', value: '3' },
      { title: 'issue.updated', value: '3' },
      { title: 'project.created', value: '3' },
      { title: 'user.created', value: '3' },
    ]);
    expect(texts).toContain(`First ${TEAMS_DIGEST_LISTED}`);
    expect(texts.filter((text) => text.startsWith(' — '))).toHaveLength(5);
    expect(texts).toContain('Issue SP-10 "A descriptive title" was updated');
    expect(texts).toContain(' — Account 557058:f00, 2026-03-02 08:00:00 UTC');
    expect(texts).toContain('…and 7 more');
    expect(actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open the delivery log', url: 'https://acme.atlassian.net/jira/settings/apps/audit-webhooks' }]);
  });

  it('has no link when the admin page URL is unknown, and says the threshold set', () => {
    const { actions, texts } = render(mixed(3), { siteUrl: 'https://acme.atlassian.net' }, settingsOf({ digestThreshold: 2 }));
    expect(actions).toEqual([]);
    expect(texts[1]).toMatch(/More than 2 events were due at once/);
    expect(texts).not.toContain('…and 0 more');
  });

  it('shows 10 types and adds up the others', () => {
    const { card } = render(many(30, (index) => ({ ...issueUpdated(), id: `e${index}`, type: `type${String.fromCharCode(97 + index)}.changed` })));
    const factSet = card.body.find((element) => (element as { type: string }).type === 'FactSet') as { facts: { title: string; value: string }[] };
    expect(factSet.facts).toHaveLength(11);
    expect(factSet.facts[10]).toEqual({ title: '20 other types', value: '20' });
  });

  it('stays under the limit for 100 events of 1 MB summaries full of markup, with markup in their types', () => {
    const { body, texts } = render(
      many(100, (index) => ({ ...issueUpdated({ summary: `${MARKUP}${ONE_MB}`, actor: { displayName: ONE_MB } }), id: `e${index}`, type: `${'*_[x](y)<b>'.repeat(20)}${index}` })),
    );
    expect(utf8Bytes(body)).toBeLessThan(TEAMS_MAX_BODY_BYTES);
    expect(texts[0]).toBe('100 Jira audit events');
    expect(texts).toContain('…and 95 more');
  });
});

describe('Teams Markdown escaping and cutting', () => {
  it('backslash-escapes Markdown characters', () => {
    expect(escapeTeamsMarkdown(MARKUP)).toBe('\\<\\!channel\\> \\*bold\\* \\_it\\_ \\[link\\]\\(x\\) \\<script\\>alert\\(1\\)\\</script\\>');
    expect(escapeTeamsMarkdown('a\\b `c` # d | e ~ f + g - h')).toBe('a\\\\b \\`c\\` \\# d \\| e \\~ f \\+ g \\- h');
  });

  it('cuts by code points and before escaping, so no escape sequence or surrogate pair is split', () => {
    expect(cutText('😀😀😀😀', 3)).toBe('😀😀…');
    expect(cutText('a\n\tb', 10)).toBe('a b');
    const cut = escapeTeamsMarkdown(cutText('*'.repeat(5_000), 100));
    expect(cut).toBe(`${'\\*'.repeat(99)}…`);
  });
});

describe('Teams answers', () => {
  const classify = (status: number, headers?: Record<string, string>) => {
    const answer = teams.classify({ status, now: NOW, ...(headers ? { headers } : {}) }, 1);
    if (!('whole' in answer)) throw new Error('Teams answers for the whole request');
    return answer.whole;
  };

  it('reads any 2xx as delivered (a Workflow answers 202 Accepted)', () => {
    expect(classify(202)).toEqual({ kind: 'delivered', httpStatus: 202 });
    expect(classify(200)).toEqual({ kind: 'delivered', httpStatus: 200 });
  });

  it('400 and 413 are permanent for the message, with what to do', () => {
    expect(classify(400)).toMatchObject({ kind: 'permanent', httpStatus: 400, message: expect.stringMatching(/Send webhook alerts to a channel/) });
    expect(classify(400)).not.toHaveProperty('failsEndpoint');
    expect(classify(413)).toMatchObject({ kind: 'permanent', httpStatus: 413, message: expect.stringMatching(/too large/) });
  });

  it('404 and 401/403 fail the endpoint at once without disabling it (a Workflow turned off can be turned on again)', () => {
    expect(classify(404)).toMatchObject({ kind: 'permanent', failsEndpoint: true, message: expect.stringMatching(/deleted or turned off/) });
    expect(classify(401)).toMatchObject({ kind: 'permanent', failsEndpoint: true, message: expect.stringMatching(/sig= token/) });
    expect(classify(403)).toMatchObject({ kind: 'permanent', failsEndpoint: true });
  });

  it('429 and 5xx are retried with Retry-After; 410 disables; Forge egress blocks are named', () => {
    expect(classify(429, { 'Retry-After': '7' })).toEqual({ kind: 'retry', errorClass: 'http', httpStatus: 429, message: 'HTTP 429 from receiver (rate limited).', retryAfterSeconds: 7 });
    expect(classify(502)).toMatchObject({ kind: 'retry', httpStatus: 502 });
    expect(classify(410)).toMatchObject({ kind: 'disable' });
    expect(classify(403, { 'forge-proxy-error': 'EGRESS' })).toMatchObject({ kind: 'permanent', errorClass: 'blocked-egress' });
  });
});

describe('Teams request checker (the integration tests use it)', () => {
  it('finds what Microsoft\'s Adaptive Cards parser warns about', () => {
    expect(adaptiveCardProblems({ type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: 'ok', wrap: true }] })).toEqual([]);
    expect(adaptiveCardProblems({ type: 'AdaptiveCard', version: '1.4', body: [{ type: 'Bogus' }] }).join(' ')).toMatch(/Unknown element type "Bogus"/);
  });

  it('finds a card version above 1.4, a wrong envelope, a too large body and a missing sig', () => {
    const card = { type: 'AdaptiveCard', version: '1.5', body: [] };
    const message = { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
    const request = { method: 'POST', path: '/x?sig=a', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) };
    expect(checkTeamsRequest(request).problems).toEqual(['Attachment 0: version 1.5 is not 1.4 or lower.']);
    expect(checkTeamsRequest({ ...request, body: JSON.stringify(card) }).problems).toEqual([expect.stringMatching(/not \{"type":"message"/)]);
    const big = { ...message, padding: 'x'.repeat(TEAMS_MESSAGE_LIMIT_BYTES) };
    expect(checkTeamsRequest({ ...request, body: JSON.stringify(big) }).problems.join(' ')).toMatch(/over Teams' 28 KB/);
    expect(checkTeamsRequest({ ...request, path: '/x' }).problems.join(' ')).toMatch(/no sig= token/);
  });

  it('counts the events a digest reports and the id a single card shows', () => {
    const single = checkTeamsRequest({ method: 'POST', path: '/x?sig=a', headers: { 'content-type': teams.contentType }, body: teams.render([item(issueUpdated())], DEFAULTS, SITE) });
    expect(single).toMatchObject({ problems: [], cards: 1, events: 1, ids: ['evt_issue_10001_1700000000000'] });
    const digest = checkTeamsRequest({ method: 'POST', path: '/x?sig=a', headers: { 'content-type': teams.contentType }, body: teams.render(many(12), DEFAULTS, SITE) });
    expect(digest).toMatchObject({ problems: [], cards: 1, events: 12, ids: [] });
  });
});
