/** Distinct, realistic Jira product events for the bench, built from the verbatim fixtures in
 * test/fixtures/jira/product-events (ids varied so every event normalises to its own id). */
import fs from 'node:fs';
import path from 'node:path';

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

/** The i-th bench event: a template with its ids made unique. */
export const benchEvent = (i: number): Json => {
  const event = structuredClone(TEMPLATES[i % TEMPLATES.length] as Json);
  const issueId = String(500_000 + i);
  if (isObject(event.issue)) {
    event.issue.id = issueId;
    event.issue.key = `BENCH-${i}`;
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
