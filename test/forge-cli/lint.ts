/** `forge lint`'s client-side linters, offline: the real @forge/lint over the files @forge/cli 13.3.0
 * lists, with the products' OpenAPI specs read from specs/ instead of developer.atlassian.com.
 *
 *   npx tsx test/forge-cli/lint.ts [pinned|cli] [report.json]
 *
 * `pinned` (default) runs the @forge/lint that package.json pins; `cli` runs the one @forge/cli
 * 13.3.0 itself depends on (installed here as a dependency of @forge/bundler 7.1.0). Run it from the
 * repository root after `npm run build:ui`. It prints what `forge lint` prints, writes a JSON report
 * when given a path, and exits 1 on any error. The server-side half of `forge lint` needs a login. */
import fs from 'node:fs';
import path from 'node:path';
import type * as ForgeLint from '@forge/lint';
import { appDirectory, collectingLogger, offlineStatsigReader, packageVersion, requireFrom, type CliSharedModule } from './offline';

export type LintVariant = 'pinned' | 'cli';

export interface LintProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  reference: string;
}

export interface LintReport {
  variant: LintVariant;
  versions: { lint: string; cliShared: string };
  /** What the CLI hands to lint(): every file under src/ (and UI Kit resource folders). */
  listedFiles: string[];
  /** What lint() parsed: .js/.jsx always, .ts/.tsx only when tsconfig.json's include lists them. */
  lintedFiles: string[];
  errors: LintProblem[];
  warnings: LintProblem[];
  approvals: LintProblem[];
  output: string[];
  ms: number;
}

const specsDir = path.join(__dirname, 'specs');

/** The permission linter fetches these six documents online unless all of them are given locally. */
export function localSwaggerEnv(): Record<string, string> {
  const spec = (name: string): string => {
    const file = path.join(specsDir, name);
    if (!fs.existsSync(file)) {
      throw new Error(`${file} is missing: test/forge-cli/README.md says where the OpenAPI specs come from.`);
    }
    return file;
  };
  return {
    USE_LOCAL_SWAGGER: '1',
    LOCAL_JIRA_SWAGGER: spec('jira.json'),
    LOCAL_JSW_SWAGGER: spec('jsw.json'),
    LOCAL_JSM_SWAGGER: spec('empty.json'),
    LOCAL_CONF_SWAGGER: spec('empty.json'),
    LOCAL_CONF_V2_SWAGGER: spec('empty.json'),
    LOCAL_BB_SWAGGER: spec('empty.json'),
  };
}

function lintPackage(variant: LintVariant): NodeJS.Require {
  return variant === 'cli' ? requireFrom('@forge/lint', requireFrom('@forge/bundler')) : requireFrom('@forge/lint');
}

/** @forge/cli 13.3.0, out/service/lint-service.js LintService.run: the files it passes to lint(). */
async function listFilesLikeForgeLint(cliShared: CliSharedModule): Promise<string[]> {
  const reader = new cliShared.FileSystemReader();
  const configFile = new cliShared.ConfigFile(reader, new cliShared.FileSystemWriter());
  const uiKitDirectories = (await configFile.getResources(['nativeUI'])).map((resource) => path.dirname(resource.path));
  const exclude = [...(await cliShared.listGitIgnoreFiles(reader)), '.git', 'node_modules'];
  const [filesToLint = [], ...uiKitFilesByDirectory] = await Promise.all([
    reader.recursiveReadDir('./src', exclude),
    ...uiKitDirectories.map((directory) => reader.recursiveReadDir(directory, exclude)),
  ]);
  return filesToLint.concat(...uiKitFilesByDirectory).filter((value, index, all) => all.indexOf(value) === index);
}

function problems(file: string, rules: ForgeLint.LintResult['errors']): LintProblem[] {
  return rules.map(({ line, column, message, reference }) => ({ file, line, column, message, reference }));
}

export async function lint(variant: LintVariant): Promise<LintReport> {
  const started = Date.now();
  if (path.resolve(process.cwd()) !== appDirectory) {
    throw new Error(`Run this from the repository root (${appDirectory}): forge lint reads ./src, tsconfig.json and manifest.yml from the current folder.`);
  }
  Object.assign(process.env, localSwaggerEnv());
  const fromLint = lintPackage(variant);
  const forgeLint = fromLint('./') as typeof ForgeLint;
  const cliShared = fromLint('@forge/cli-shared') as CliSharedModule;
  const listedFiles = await listFilesLikeForgeLint(cliShared);
  const lintedFiles: string[] = [];
  const logger = collectingLogger();
  const manifest = await new cliShared.ConfigFile(new cliShared.FileSystemReader(), new cliShared.FileSystemWriter()).readConfig();
  const environment = cliShared.optionToEnvironment(cliShared.DEFAULT_ENVIRONMENT_OPTION);
  // Typed against the hoisted @forge/cli-shared and @forge/manifest; at run time they are the ones
  // this @forge/lint depends on.
  type LintArgs = Parameters<typeof forgeLint.lint>;
  const results = await forgeLint.lint(listedFiles, manifest as LintArgs[1], environment, logger,
    offlineStatsigReader(cliShared) as unknown as LintArgs[4], {
      linter: { mode: 'client-side' },
      // lint()'s default parser, recorded: which files it really parses depends on tsconfig.json.
      parseFunction: async (filepath, parser) => {
        lintedFiles.push(filepath);
        return forgeLint.parseSourceFile(filepath, parser);
      },
    });
  forgeLint.reportLintResults(logger, results);
  const relative = (file: string): string => path.relative(appDirectory, path.resolve(file));
  return {
    variant,
    versions: { lint: (fromLint('./package.json') as { version: string }).version, cliShared: packageVersion('@forge/cli-shared', fromLint) },
    listedFiles: listedFiles.map(relative).sort(),
    lintedFiles: lintedFiles.map(relative).sort(),
    errors: results.flatMap((result) => problems(relative(result.file), result.errors)),
    warnings: results.flatMap((result) => problems(relative(result.file), result.warnings)),
    approvals: results.flatMap((result) => problems(relative(result.file), result.approvals)),
    output: logger.lines.map((line) => line.message),
    ms: Date.now() - started,
  };
}

if (require.main === module) {
  const variant: LintVariant = process.argv[2] === 'cli' ? 'cli' : 'pinned';
  void lint(variant).then((report) => {
    const reportPath = process.argv[3];
    if (reportPath) fs.writeFileSync(reportPath, JSON.stringify(report, null, 2));
    console.log(`@forge/lint ${report.versions.lint} (client-side): ${report.lintedFiles.length} of ` +
      `${report.listedFiles.length} listed files linted, ${report.ms} ms\n`);
    console.log(report.output.join('\n'));
    process.exitCode = report.errors.length + report.approvals.length > 0 ? 1 : 0;
  });
}
