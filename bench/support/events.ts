/** Distinct, realistic Jira product events for the bench, built from the verbatim fixtures in
 * test/fixtures/jira/product-events (ids varied so every event normalises to its own id). */
import fs from 'node:fs';
import path from 'node:path';
import { fromProductEvent, type AuditEvent } from '../../src/domain/events';

const FIXTURES = path.resolve(__dirname, '../../test/fixtures/jira/product-events');
/** A mix of the most frequent audit-relevant product events. */
const TEMPLATE_FILES = ['issue-created.json', 'issue-updated.json', 'comment-created.json', 'worklog-created.json'];

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const loadTemplate = (file: string): Json => {
  const raw: unknown = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
  if (!isObject(raw)) throw new Error(`${file} is not a JSON object`);
  const { _source: _ignored, ...event } = raw;
  return event;
};

export const TEMPLATES: readonly Json[] = TEMPLATE_FILES.map(loadTemplate);

/** The i-th bench event: a template with its ids made unique. With `projectKey`, its issue is moved to
 * that project (issue key and fields.project.key), for the filter scenario; without it the fixture's
 * project stays, so the other scenarios send the bytes they always sent. Worklog events carry no issue. */
export const benchEvent = (i: number, projectKey?: string): Json => {
  const event = structuredClone(TEMPLATES[i % TEMPLATES.length] as Json);
  const issueId = String(500_000 + i);
  if (isObject(event.issue)) {
    event.issue.id = issueId;
    event.issue.key = `${projectKey ?? 'BENCH'}-${i}`;
    const fields = event.issue.fields;
    if (projectKey !== undefined && isObject(fields) && isObject(fields.project)) fields.project.key = projectKey;
  }
  if (isObject(event.comment)) event.comment.id = String(700_000 + i);
  if (isObject(event.changelog)) event.changelog.id = String(800_000 + i);
  if (isObject(event.worklog)) {
    event.worklog.id = String(900_000 + i);
    event.worklog.issueId = issueId;
  }
  return event;
};

/** Size of a bench event as Forge would hand it to the trigger (JSON bytes). */
export const eventBytes = (event: Json): number => Buffer.byteLength(JSON.stringify(event));

/** Any fixed time: a product event's id is a hash of its name and payload, not of when it arrived. */
const ID_RECEIVED_AT = new Date('2026-03-02T09:00:00.000Z');

/** The id the app gives the i-th bench event (its trigger normalises it with the same function), so
 * a receiver's first sight of an id can be matched to when the bench fired that event. */
export const benchEventId = (i: number, projectKey?: string): string => normalisedBenchEvent(i, projectKey).id;

/** The i-th bench event as the app stores it (what its filters read). */
export const normalisedBenchEvent = (i: number, projectKey?: string): AuditEvent => {
  const normalised = fromProductEvent(benchEvent(i, projectKey), { receivedAt: ID_RECEIVED_AT });
  if (!normalised.ok) throw new Error(`bench: event ${i} does not normalise: ${normalised.error}`);
  return normalised.event;
};
