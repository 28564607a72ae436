import fs from 'node:fs';
import path from 'node:path';
import { buildEventsReference, extractEventNames, pageUrl } from '../../../scripts/forge-events-extract';

describe('extractEventNames (scripts/forge-events-reference.ts)', () => {
  it.each<[string, string, string[]]>([
    ['a table cell', '| `avi:jira:created:issue` | An issue was created. |', ['avi:jira:created:issue']],
    ['a sentence ending in the name', 'An event with the name avi:jira:deleted:comment.', ['avi:jira:deleted:comment']],
    ['slashed alternatives', '`avi:jsm-entity:created:request-type` / `avi:jsm-entity:updated:request-type`', ['avi:jsm-entity:created:request-type', 'avi:jsm-entity:updated:request-type']],
    ['dots and versions', 'avi:ecosystem.app_policy:blocked:app_access_to_objects.v2', ['avi:ecosystem.app_policy:blocked:app_access_to_objects.v2']],
    ['an app-event pattern', '`avi:cloud:ecosystem::event/{app-id}/{module-key}`', ['avi:cloud:ecosystem::event/{app-id}/{module-key}']],
    ['four parts', 'avi:jira:updated:field:context:configuration', ['avi:jira:updated:field:context:configuration']],
    ['repeats and order', 'avi:jira:updated:issue then avi:jira:created:issue and avi:jira:updated:issue', ['avi:jira:created:issue', 'avi:jira:updated:issue']],
    ['no name', 'Forge apps can subscribe to Jira events: see the avi prefix.', []],
  ])('reads %s', (_label, markdown, names) => {
    expect(extractEventNames(markdown)).toEqual(names);
  });

  it('builds pages in path order with their documentation URL', () => {
    const built = buildEventsReference({
      commit: 'a'.repeat(40),
      snapshot: '2026-08-22T18:56:19+00:00',
      pages: [
        { path: 'mirror/events-reference/life-cycle/index.md', markdown: 'avi:forge:installed:app' },
        { path: 'mirror/events-reference/jira/index.md', markdown: 'avi:jira:created:issue' },
      ],
    });
    expect(built.pages.map((page) => page.url)).toEqual([
      'https://developer.atlassian.com/platform/forge/events-reference/jira/',
      'https://developer.atlassian.com/platform/forge/events-reference/life-cycle/',
    ]);
    expect(pageUrl('mirror/events-reference/jira-service-management/index.md')).toBe('https://developer.atlassian.com/platform/forge/events-reference/jira-service-management/');
  });

  it('is what made the committed fixture (re-extracting its own names changes nothing)', () => {
    const fixture = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../fixtures/forge/events-reference.json'), 'utf8')) as ReturnType<typeof buildEventsReference>;
    for (const page of fixture.pages) expect(extractEventNames(page.events.join('\n'))).toEqual(page.events);
  });
});
