/** `forge deploy`'s build step with the real @forge/bundler of @forge/cli 13.3.0: webpack + ts-loader
 * with this app's tsconfig.json over every handler manifest.yml names (bundle.ts). It fails when
 * tsconfig.json says "noEmit": true ("TypeScript emitted no output for src/index.ts"), when a
 * handler's file or export is missing, or on any TypeScript error in the bundled code. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { BundleReport } from './bundle';
import { runInChild } from './child';
import { appDirectory } from './offline';

const CLI_BUNDLER_VERSION = '7.1.0'; // @forge/cli 13.3.0's package.json: "@forge/bundler": "7.1.0"

interface Manifest {
  modules?: { function?: { key: string; handler: string }[] };
}

const manifestHandlers = (): string[] => {
  const manifest = parse(fs.readFileSync(path.join(appDirectory, 'manifest.yml'), 'utf8')) as Manifest;
  return [...new Set((manifest.modules?.function ?? []).map((fn) => fn.handler))].sort();
};

/** What the Forge runtime will find in the bundle: the names a module exports as functions. */
const exportedFunctions = (file: string): string[] =>
  JSON.parse(execFileSync(process.execPath, ['-e', `
    const exported = require(${JSON.stringify(file)});
    console.log(JSON.stringify(Object.keys(exported).filter((name) => typeof exported[name] === 'function')));
  `], { encoding: 'utf8' })) as string[];

describe(`forge deploy's bundler (@forge/bundler ${CLI_BUNDLER_VERSION}, offline)`, () => {
  let report: BundleReport;
  let workDir: string | undefined;

  beforeAll(async () => {
    const run = await runInChild<BundleReport>('bundle.ts');
    ({ report, workDir } = run);
    console.info(`@forge/bundler ${report.versions.bundler} (webpack ${report.versions.webpack}, ts-loader ` +
      `${report.versions.tsLoader}, TypeScript ${report.versions.typescript}): bundled in ${report.ms} ms, ` +
      `${run.wallMs} ms with Node start-up`);
  }, 600_000);

  afterAll(() => {
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('is the bundler @forge/cli 13.3.0 depends on', () => {
    expect(report.versions.bundler).toBe(CLI_BUNDLER_VERSION);
  });

  it('bundles with no error', () => {
    expect(report.errors).toEqual([]);
    expect(report.metadata?.errors).toBe(0);
  });

  it('bundles every handler manifest.yml names', () => {
    expect([...report.handlers].sort()).toEqual(manifestHandlers());
    expect(report.handlers.length).toBeGreaterThan(0);
  });

  it("writes each handler's module to the output folder, exporting the handler's function", () => {
    const exportsByFile = new Map<string, string[]>();
    for (const handler of report.handlers) {
      const [module = '', func = ''] = handler.split('.');
      const file = path.join(report.outputDir ?? '', `${module}.cjs`);
      expect({ handler, bundled: fs.existsSync(file) }).toEqual({ handler, bundled: true });
      if (!exportsByFile.has(file)) exportsByFile.set(file, exportedFunctions(file));
      expect({ handler, exported: exportsByFile.get(file)?.includes(func) }).toEqual({ handler, exported: true });
    }
  });
});
