/**
 * Builds test/fixtures/forge/events-reference.json: every event name that Forge's events reference
 * documents, page by page, read from a git clone of the public mirror of Forge's documentation
 * (github.com/minhhai2209/forge-docs-snapshot, pages mirror/events-reference/<page>/index.md). The
 * manifest test checks every event manifest.yml subscribes to against it, because @forge/manifest
 * accepts any event name.
 *
 *   npx tsx scripts/forge-events-reference.ts <git dir of the mirror> [commit]
 *
 * e.g. with the mirror the project's search tool fetches: /work/.mirror/minhhai2209+forge-docs-snapshot/repo.
 * Review the diff of the fixture: a name that disappeared from the reference fails the manifest test.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildEventsReference } from './forge-events-extract';

const [gitDir, commitArg = 'HEAD'] = process.argv.slice(2);
if (!gitDir) {
  console.error('Give the git directory of a clone of github.com/minhhai2209/forge-docs-snapshot, e.g. npx tsx scripts/forge-events-reference.ts ../forge-docs-snapshot');
  process.exit(2);
}
const git = (...args: string[]): string => execFileSync('git', ['-C', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const commit = git('rev-parse', commitArg).trim();
const snapshot = git('show', '-s', '--format=%cI', commit).trim();
const paths = git('ls-tree', '-r', '--name-only', commit, 'mirror/events-reference')
  .split('\n')
  .filter((file) => /^mirror\/events-reference\/[^/]+\/index\.md$/.test(file));
const reference = buildEventsReference({
  commit,
  snapshot,
  pages: paths.map((file) => ({ path: file, markdown: git('show', `${commit}:${file}`) })),
});
const out = path.resolve(__dirname, '..', 'test', 'fixtures', 'forge', 'events-reference.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify(reference, null, 2)}\n`);
console.log(`Wrote ${path.relative(process.cwd(), out)}: ${reference.pages.reduce((n, page) => n + page.events.length, 0)} names from ${reference.pages.length} pages at ${commit}.`);
