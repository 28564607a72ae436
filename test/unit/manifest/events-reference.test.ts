/**
 * Every event manifest.yml subscribes to must be one Forge documents: @forge/manifest accepts any event
 * name (and `forge deploy` cannot run here), so a typo or an invented event would otherwise go unnoticed
 * until it silently never arrives.
 *
 * The oracle is test/fixtures/forge/events-reference.json: the event names of every page of Forge's events
 * reference (mirror/events-reference/<page>/index.md in github.com/minhhai2209/forge-docs-snapshot, commit
 * and snapshot date inside), made by scripts/forge-events-reference.ts, which says how to regenerate it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { EventsReference } from '../../../scripts/forge-events-extract';

const root = path.resolve(__dirname, '../../..');
const reference = JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/forge/events-reference.json'), 'utf8')) as EventsReference;
const manifest = parse(fs.readFileSync(path.join(root, 'manifest.yml'), 'utf8')) as { modules: { trigger: { key: string; events: string[] }[] } };
const subscribed = manifest.modules.trigger.flatMap((trigger) => trigger.events);

/** Atlassian's own event-to-scope map, which @forge/manifest's PRODUCT_TRIGGER validation uses (not in its exports). */
const forgeManifestMapping = JSON.parse(
  fs.readFileSync(path.join(path.dirname(require.resolve('@forge/manifest')), 'mapping', 'product-event-to-scope-mapping.json'), 'utf8'),
) as { _source: string; mapping: { productEvent: string }[] };
const scopeMapped = new Set(forgeManifestMapping.mapping.map((entry) => entry.productEvent));

const JSM_KEPT =
  "Not in Forge's events reference, whose Jira Service Management page documents request-type events only; but Atlassian's production event-to-scope map (@forge/manifest's product-event-to-scope-mapping.json) lists it with scope manage:jira-configuration, so the platform knows it, and it is the only signal of this service-management configuration change.";

/**
 * Events the manifest keeps although the reference does not list them, each with its reason. An entry
 * stays only while it is in @forge/manifest's scope map, missing from the reference and used by the
 * manifest (tests below). avi:jsm-entity:deleted:portal is in neither the reference nor that map: removed.
 */
const UNDOCUMENTED_BUT_KEPT: Readonly<Record<string, string>> = {
  'avi:jsm-entity:created:portal': JSM_KEPT,
  'avi:jsm-entity:updated:portal': JSM_KEPT,
  'avi:jsm-entity:created:request-type-group': JSM_KEPT,
  'avi:jsm-entity:updated:request-type-group': JSM_KEPT,
  'avi:jsm-entity:deleted:request-type-group': JSM_KEPT,
  'avi:jsm-entity:created:service-desk': JSM_KEPT,
  'avi:jsm-entity:updated:service-desk': JSM_KEPT,
  'avi:jsm-entity:deleted:service-desk': JSM_KEPT,
};

/** A documented name, `{placeholder}` path segments (app events) standing for any segment. */
const documentedPatterns = reference.pages
  .flatMap((page) => page.events)
  .map((name) => new RegExp(`^${name.split(/\{[^}/]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}$`));
const isDocumented = (event: string): boolean => documentedPatterns.some((pattern) => pattern.test(event));

/** The events neither documented nor kept for a stated reason. */
const unaccounted = (events: readonly string[]): string[] => events.filter((event) => !isDocumented(event) && !(event in UNDOCUMENTED_BUT_KEPT));

describe('manifest.yml trigger events against the Forge events reference', () => {
  it('subscribes only to documented events, or to ones kept for a stated reason', () => {
    expect(subscribed.length).toBeGreaterThan(0);
    expect(unaccounted(subscribed)).toEqual([]);
  });

  it.each<[string, string[], string[]]>([
    ['flags an event in neither the reference nor @forge/manifest', ['avi:jsm-entity:deleted:portal'], ['avi:jsm-entity:deleted:portal']],
    ['flags an event Jira does not send', ['avi:jira:updated:comment'], ['avi:jira:updated:comment']],
    ['flags a typo', ['avi:jira:created:isue', 'avi:jira:created:issue'], ['avi:jira:created:isue']],
    ['flags a case change', ['AVI:JIRA:CREATED:ISSUE'], ['AVI:JIRA:CREATED:ISSUE']],
    ['passes documented events of each page the app draws from', ['avi:jira:created:issue', 'avi:jira-software:started:sprint', 'avi:jsm-entity:created:request-type', 'avi:forge:upgraded:app'], []],
    ['passes an app event matching a documented pattern', ['avi:cloud:ecosystem::event/11111111-2222-4333-8444-555555555555/my-event'], []],
  ])('%s', (_label, events, flagged) => {
    expect(unaccounted(events)).toEqual(flagged);
  });

  it.each(Object.entries(UNDOCUMENTED_BUT_KEPT))('keeps %s only while its reason holds', (event, reason) => {
    expect(reason.length).toBeGreaterThan(40);
    expect(isDocumented(event)).toBe(false); // documented now: drop it from the list
    expect(scopeMapped.has(event)).toBe(true); // gone from Atlassian's map: remove it from manifest.yml too
    expect(subscribed).toContain(event); // no longer subscribed: drop it from the list
  });

  it('names its source, and has names from each page the manifest draws from', () => {
    expect(reference.source).toMatchObject({ repository: 'minhhai2209/forge-docs-snapshot', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(Number.isNaN(Date.parse(reference.source.snapshot))).toBe(false);
    expect(reference.regenerate).toContain('scripts/forge-events-reference.ts');
    const byPage = new Map(reference.pages.map((page) => [page.path.split('/')[2], page.events]));
    expect(byPage.get('jira')).toContain('avi:jira:created:issue');
    expect(byPage.get('jira-software')).toContain('avi:jira-software:configuration-changed:board');
    expect(byPage.get('jira-service-management')).toEqual(['avi:jsm-entity:created:request-type', 'avi:jsm-entity:deleted:request-type', 'avi:jsm-entity:updated:request-type']);
    expect(byPage.get('life-cycle')).toEqual(['avi:forge:installed:app', 'avi:forge:upgraded:app']);
  });
});
