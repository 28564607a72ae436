/** Pure part of scripts/forge-events-reference.ts: event names out of the Forge events reference's markdown. */

/**
 * An event name as the reference writes it: `avi:<product>:<verb>:<noun>...`, dots and hyphens allowed
 * (`avi:ecosystem.app_policy:blocked:app_access_to_objects.v2`), app events with a path whose
 * `{placeholders}` stand for any segment (`avi:cloud:ecosystem::event/{app-id}/{module-key}`).
 */
const EVENT_NAME = /\bavi:[A-Za-z0-9_.:-]+(?:\/[A-Za-z0-9_{}.-]+)*/g;

/** Sorted, distinct names in a page; a sentence's final `.` or `:` is not part of a name. */
export function extractEventNames(markdown: string): string[] {
  const names = new Set<string>();
  for (const match of markdown.matchAll(EVENT_NAME)) names.add(match[0].replace(/[.:]+$/, ''));
  return [...names].sort();
}

export interface EventsReferencePage {
  path: string;
  url: string;
  events: string[];
}

export interface EventsReference {
  about: string;
  source: { repository: string; commit: string; snapshot: string; pages: string };
  regenerate: string;
  pages: EventsReferencePage[];
}

export const MIRROR_REPOSITORY = 'minhhai2209/forge-docs-snapshot';

/** mirror/events-reference/jira/index.md -> https://developer.atlassian.com/platform/forge/events-reference/jira/ */
export const pageUrl = (mirrorPath: string): string =>
  `https://developer.atlassian.com/platform/forge/${mirrorPath.replace(/^mirror\//, '').replace(/index\.md$/, '')}`;

export function buildEventsReference(input: { commit: string; snapshot: string; pages: { path: string; markdown: string }[] }): EventsReference {
  return {
    about:
      'Event names documented by the Forge events reference, extracted from a mirror of the Forge documentation. test/unit/manifest/events-reference.test.ts checks every event manifest.yml subscribes to against it. Generated: do not edit by hand.',
    source: { repository: MIRROR_REPOSITORY, commit: input.commit, snapshot: input.snapshot, pages: 'mirror/events-reference/<page>/index.md' },
    regenerate: 'npx tsx scripts/forge-events-reference.ts <git dir of a clone of github.com/minhhai2209/forge-docs-snapshot> [commit]',
    pages: [...input.pages]
      .sort((a, b) => a.path.localeCompare(b.path))
      .map((page) => ({ path: page.path, url: pageUrl(page.path), events: extractEventNames(page.markdown) })),
  };
}
