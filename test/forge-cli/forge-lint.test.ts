/** `forge lint`'s client-side linters (lint.ts) over the files @forge/cli 13.3.0 lists, with the
 * Jira OpenAPI specs in specs/: missing scopes, egress, resources, handlers, timeouts. `forge deploy`
 * runs the same linters first and refuses to deploy on an error. Two @forge/lint versions run: the
 * one package.json pins, and the one @forge/cli 13.3.0 itself depends on. */
import fs from 'node:fs';
import path from 'node:path';
import { runInChild } from './child';
import type { LintProblem, LintReport, LintVariant } from './lint';
import { appDirectory } from './offline';

const variants: { variant: LintVariant; version: string; source: string }[] = [
  { variant: 'pinned', version: '6.3.1', source: 'pinned in package.json' },
  { variant: 'cli', version: '6.1.0', source: "@forge/cli 13.3.0's own, via @forge/bundler 7.1.0" },
];

/** Every warning README.md's "Deploy to a Jira Cloud site" section explains, as `reference: message`.
 * A new warning fails the test until it is fixed or explained there. */
const WARNINGS_EXPLAINED_IN_README: string[] = [];

const adminPageBuild = path.join(appDirectory, 'static/admin/build/index.html');

const sourceFiles = (dir: string): string[] =>
  fs.readdirSync(path.join(appDirectory, dir), { recursive: true, encoding: 'utf8' })
    .map((file) => path.join(dir, file))
    .filter((file) => /\.tsx?$/.test(file))
    .sort();

const describeProblem = ({ file, line, column, message, reference }: LintProblem): string =>
  `${file}:${line}:${column} ${reference}: ${message}`;

const reports = new Map<LintVariant, LintReport>();

beforeAll(async () => {
  if (!fs.existsSync(adminPageBuild)) {
    throw new Error('static/admin/build is missing: run `npm run build:ui` first (`npm test` does). forge lint ' +
      "checks that every resource in manifest.yml exists (valid-resource-required), and the admin page's is that build.");
  }
  // Both linters at once: each is mostly single-threaded work (schema compiling, parsing).
  const runs = await Promise.all(variants.map(({ variant }) => runInChild<LintReport>('lint.ts', [variant])));
  runs.forEach(({ report, wallMs, workDir }) => {
    fs.rmSync(workDir, { recursive: true, force: true });
    reports.set(report.variant, report);
    console.info(`@forge/lint ${report.versions.lint}: ${report.lintedFiles.length} files linted in ${report.ms} ms ` +
      `(${wallMs} ms with Node start-up), ${report.errors.length} errors, ${report.warnings.length} warnings` +
      report.warnings.map((warning) => `\n  warning ${describeProblem(warning)}`).join(''));
  });
}, 600_000);

describe.each(variants)("forge lint's client-side linters, @forge/lint $version ($source)", ({ variant, version }) => {
  const report = (): LintReport => {
    const found = reports.get(variant);
    if (!found) throw new Error(`test/forge-cli/lint.ts ${variant} did not report`);
    return found;
  };

  it(`is @forge/lint ${version}`, () => {
    expect(report().versions.lint).toBe(version);
  });

  it("lints every TypeScript file under src/ (tsconfig.json's include lists them as globs)", () => {
    const src = sourceFiles('src');
    expect(src.length).toBeGreaterThan(0);
    expect(src.filter((file) => !report().lintedFiles.includes(file))).toEqual([]);
  });

  it('finds no error and nothing that needs approval', () => {
    expect(report().errors.map(describeProblem)).toEqual([]);
    expect(report().approvals.map(describeProblem)).toEqual([]);
  });

  it('finds no warning that README.md does not explain', () => {
    const unexplained = report().warnings
      .filter(({ reference, message }) => !WARNINGS_EXPLAINED_IN_README.includes(`${reference}: ${message}`))
      .map(describeProblem);
    expect(unexplained).toEqual([]);
  });
});
