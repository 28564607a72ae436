/** `forge deploy`'s build step, offline: the real @forge/bundler (webpack + ts-loader with the app's
 * tsconfig.json) over every handler manifest.yml names, as @forge/cli 13.3.0's deploy does it
 * (ConfigFile.getAppHandlers -> getEntryPoints -> getNodeBundler(...).bundle({ appDirectory: cwd })).
 * Only the runtime wrapper, which the CLI downloads from Atlassian's CDN, is a stub.
 *
 *   npx tsx test/forge-cli/bundle.ts [report.json]
 *
 * Run it from the repository root. It prints a summary, writes a JSON report when given a path, and
 * exits 1 when bundling fails. The output folder is left in the OS temp folder for inspection. */
import fs from 'node:fs';
import path from 'node:path';
import * as bundler from '@forge/bundler';
import { appDirectory, collectingLogger, offlineStatsigReader, packageVersion, requireFrom, type CliSharedModule } from './offline';

export interface BundleReport {
  versions: { bundler: string; cliShared: string; webpack: string; tsLoader: string; typescript: string };
  handlers: string[];
  entryPoints: { name: string; path: string }[];
  outputDir?: string;
  outputFiles: string[];
  errors: string[];
  warnings: string[];
  metadata?: { tsFiles: number; jsFiles: number; errors: number; modules?: string[] };
  ms: number;
}

const stubWrapper = {
  script: '/* offline stand-in for the Forge Node.js runtime wrapper that forge deploy downloads */\n',
  source: 'offline-stub',
  version: 'offline-stub',
};

export async function bundle(): Promise<BundleReport> {
  const started = Date.now();
  const fromBundler = requireFrom('@forge/bundler');
  const cliShared = fromBundler('@forge/cli-shared') as CliSharedModule;
  const report: BundleReport = {
    versions: {
      bundler: packageVersion('@forge/bundler'),
      cliShared: packageVersion('@forge/cli-shared', fromBundler),
      webpack: packageVersion('webpack', fromBundler),
      tsLoader: packageVersion('ts-loader', fromBundler),
      typescript: packageVersion('typescript', requireFrom('ts-loader', fromBundler)),
    },
    handlers: [],
    entryPoints: [],
    outputFiles: [],
    errors: [],
    warnings: [],
    ms: 0,
  };
  const logger = collectingLogger();
  const configFile = new cliShared.ConfigFile(new cliShared.FileSystemReader(), new cliShared.FileSystemWriter());
  const wrapperProvider: Parameters<typeof bundler.getNodeBundler>[1] = {
    getNodeRuntimeWrapper: async () => stubWrapper,
    getNodeRuntimeLoader: async () => undefined,
  };
  try {
    const handlers = await configFile.getAppHandlers();
    report.handlers = handlers.map(({ module, func }) => `${module}.${func}`);
    const entryPoints = bundler.getEntryPoints(handlers);
    report.entryPoints = entryPoints.map(({ name, path: entry }) => ({ name, path: path.relative(appDirectory, entry) }));
    const nodeBundler = bundler.getNodeBundler(logger, wrapperProvider, configFile, offlineStatsigReader(cliShared));
    const { outputDir, metadata } = await nodeBundler.bundle({ appDirectory: process.cwd(), entryPoints });
    report.outputDir = outputDir;
    report.outputFiles = fs.readdirSync(outputDir, { recursive: true, encoding: 'utf8' }).sort();
    if (metadata) {
      const { tsFiles, jsFiles, errors, modules } = metadata;
      report.metadata = { tsFiles, jsFiles, errors, modules };
    }
  } catch (error) {
    report.errors.push(error instanceof Error ? error.message : String(error));
  }
  report.errors.push(...logger.lines.filter((line) => line.level === 'error').map((line) => line.message));
  report.warnings = logger.lines.filter((line) => line.level === 'warn').map((line) => line.message);
  report.ms = Date.now() - started;
  return report;
}

if (require.main === module) {
  void bundle().then((report) => {
    const reportPath = process.argv[2];
    if (reportPath) fs.writeFileSync(reportPath, JSON.stringify(report, null, 2));
    console.log(`@forge/bundler ${report.versions.bundler}: ${report.handlers.length} handlers, ` +
      `${report.errors.length} errors, ${report.warnings.length} warnings, ${report.ms} ms`);
    for (const message of [...report.errors, ...report.warnings]) console.log(`\n${message}`);
    if (report.outputDir) console.log(`\noutput: ${report.outputDir}\n  ${report.outputFiles.join('\n  ')}`);
    process.exitCode = report.errors.length > 0 ? 1 : 0;
  });
}
