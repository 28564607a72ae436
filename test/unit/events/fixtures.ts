/** Loads a Jira fixture from test/fixtures/jira, without its `_source` / `_expectError` notes. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURE_ROOT = join(__dirname, '..', '..', 'fixtures', 'jira');

export function readFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURE_ROOT, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

export function loadFixture(name: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(readFixture(name)).filter(([key]) => !key.startsWith('_')));
}

export function fixtureNames(folder: string): string[] {
  return readdirSync(join(FIXTURE_ROOT, folder))
    .filter((file) => file.endsWith('.json'))
    .map((file) => `${folder}/${file.replace(/\.json$/, '')}`);
}
