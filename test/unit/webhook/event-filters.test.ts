import { checkFilters, filtersSummary, passesFilters, projectKeyOf, type FilterableEvent, type WebhookFilters } from '../../../src/domain/webhook/event-filters';

const issue = (project: string, issueType = 'Task', accountId: string | null = 'acc-1'): FilterableEvent => ({
  data: {
    source: 'product-event',
    actor: accountId ? { accountId } : {},
    object: { type: 'issue', key: `${project}-1`, parent: { type: 'project', key: project } },
    details: { issueType, project: { key: project } },
  },
});
const configChange: FilterableEvent = { data: { source: 'app', actor: {}, object: { type: 'webhook', id: 'wh_1' } } };
const projectEvent: FilterableEvent = { data: { source: 'product-event', actor: {}, object: { type: 'project', key: 'sec' } } };
const userEvent: FilterableEvent = { data: { source: 'product-event', actor: {}, object: { type: 'user', id: 'u1' } } };

describe('passesFilters', () => {
  const cases: [string, WebhookFilters | undefined, FilterableEvent, boolean][] = [
    ['no filters', undefined, configChange, true],
    ['include SEC: SEC issue', { projects: { include: ['SEC'] } }, issue('SEC'), true],
    ['include SEC: OPS issue', { projects: { include: ['SEC'] } }, issue('OPS'), false],
    ['include SEC: event without project', { projects: { include: ['SEC'] } }, configChange, false],
    ['include SEC: the project itself, key in another case', { projects: { include: ['SEC'] } }, projectEvent, true],
    ['exclude SEC: OPS issue', { projects: { exclude: ['SEC'] } }, issue('OPS'), true],
    ['exclude SEC: SEC issue', { projects: { exclude: ['SEC'] } }, issue('SEC'), false],
    ['exclude SEC: event without project', { projects: { exclude: ['SEC'] } }, userEvent, true],
    ['include SEC, OPS, exclude nothing: OPS', { projects: { include: ['SEC', 'OPS'] } }, issue('OPS'), true],
    ['issue type include bug: Bug', { issueTypes: { include: ['bug'] } }, issue('SEC', 'Bug'), true],
    ['issue type include bug: Task', { issueTypes: { include: ['bug'] } }, issue('SEC', 'Task'), false],
    ['issue type exclude Task: no issue type', { issueTypes: { exclude: ['Task'] } }, configChange, true],
    ['actor exclude: that actor', { actors: { exclude: ['acc-1'] } }, issue('SEC'), false],
    ['actor exclude: someone else', { actors: { exclude: ['acc-2'] } }, issue('SEC'), true],
    ['actor exclude: unknown actor passes', { actors: { exclude: ['acc-1'] } }, issue('SEC', 'Task', null), true],
    ['actor ids are case-sensitive', { actors: { include: ['ACC-1'] } }, issue('SEC'), false],
    ['actor "app": the app\'s own events', { actors: { exclude: ['app'] } }, configChange, false],
    ['dimensions combine with AND', { projects: { include: ['SEC'] }, issueTypes: { include: ['Bug'] } }, issue('SEC', 'Task'), false],
  ];
  it.each(cases)('%s', (_name, filters, event, expected) => {
    expect(passesFilters(filters, event)).toBe(expected);
  });

  it('reads the project from details when the object has no parent', () => {
    expect(projectKeyOf({ data: { object: { type: 'component' }, details: { projectKey: 'ops' } } })).toBe('OPS');
  });
});

describe('checkFilters', () => {
  it('normalises: trims, upper-cases project keys, drops duplicates and empty lists', () => {
    const { problems, normalised } = checkFilters({ projects: { include: [' sec', 'SEC', 'ops'] }, issueTypes: { include: [] }, actors: { exclude: ['app'] } });
    expect(problems).toEqual([]);
    expect(normalised).toEqual({ projects: { include: ['SEC', 'OPS'] }, actors: { exclude: ['app'] } });
  });

  it('nothing left: no filters at all', () => {
    expect(checkFilters({ projects: {} }).normalised).toBeUndefined();
  });

  it('names the field of each problem', () => {
    const { problems } = checkFilters({
      projects: { include: ['SEC', '1BAD', ''], exclude: ['sec'] },
      actors: { include: ['has space'] },
      issueTypes: { exclude: Array.from({ length: 51 }, (_, i) => `T${i}`) },
    });
    const byPath = Object.fromEntries(problems.map((p) => [p.path.join('.'), p.message]));
    expect(Object.keys(byPath).sort()).toEqual(['filters.actors.include.0', 'filters.issueTypes.exclude', 'filters.projects', 'filters.projects.include.1', 'filters.projects.include.2']);
    expect(byPath['filters.projects.include.1']).toMatch(/"1BAD" is not a Jira project key/);
    expect(byPath['filters.projects']).toMatch(/SEC is both included and excluded/);
    expect(byPath['filters.issueTypes.exclude']).toMatch(/at most 50/);
  });
});

describe('filtersSummary', () => {
  it('one line, account ids shortened', () => {
    expect(filtersSummary({ projects: { include: ['SEC', 'OPS'] }, actors: { exclude: ['5b10ac8d82e05b22cc7d4ef5'] } })).toBe('Projects SEC, OPS · not actor 5b10ac8d…');
    expect(filtersSummary(undefined)).toBe('');
  });
});
