/** Runs bundle.ts or lint.ts in their own Node process from the repository root, as the Forge CLI
 * runs in the app's folder: they read ./src, manifest.yml and tsconfig.json relative to the current
 * folder, and webpack and the linters are better kept out of Jest's module sandbox. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appDirectory } from './offline';

export interface ChildRun<Report> {
  report: Report;
  output: string;
  wallMs: number;
  /** The child's temp folder (its TMPDIR, where the bundler writes its output): remove it when done. */
  workDir: string;
}

export async function runInChild<Report>(script: 'bundle.ts' | 'lint.ts', args: string[] = []): Promise<ChildRun<Report>> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-cli-'));
  const reportPath = path.join(workDir, 'report.json');
  // The CLI's packages keep caches under XDG_CONFIG_HOME and temp folders under TMPDIR: both stay
  // in workDir, so a run leaves nothing behind once workDir is removed.
  const env = { ...process.env, TMPDIR: workDir, XDG_CONFIG_HOME: path.join(workDir, 'config') };
  const started = Date.now();
  // The manifest linters compile Forge's manifest schema five times: a larger young generation
  // halves the time spent in garbage collection (about 65 s -> 40 s here), nothing else changes.
  const nodeArgs = ['--max-semi-space-size=64', '--import', 'tsx', path.join(__dirname, script), ...args, reportPath];
  const output = await new Promise<string>((resolve) => {
    execFile(process.execPath, nodeArgs, { cwd: appDirectory, env, maxBuffer: 64 * 1024 * 1024 }, (_error, stdout, stderr) =>
      resolve(`${stdout}${stderr}`));
  });
  const wallMs = Date.now() - started;
  if (!fs.existsSync(reportPath)) {
    fs.rmSync(workDir, { recursive: true, force: true });
    throw new Error(`test/forge-cli/${script} ${args.join(' ')} wrote no report. Its output:\n${output}`);
  }
  return { report: JSON.parse(fs.readFileSync(reportPath, 'utf8')) as Report, output, wallMs, workDir };
}
