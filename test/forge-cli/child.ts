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
}

export async function runInChild<Report>(script: 'bundle.ts' | 'lint.ts', args: string[] = []): Promise<ChildRun<Report>> {
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-cli-report-'));
  const reportPath = path.join(reportDir, 'report.json');
  const started = Date.now();
  // The manifest linters compile Forge's manifest schema five times: a larger young generation
  // halves the time spent in garbage collection (about 65 s -> 40 s here), nothing else changes.
  const nodeArgs = ['--max-semi-space-size=64', '--import', 'tsx', path.join(__dirname, script), ...args, reportPath];
  const output = await new Promise<string>((resolve) => {
    execFile(process.execPath, nodeArgs, { cwd: appDirectory, maxBuffer: 64 * 1024 * 1024 }, (_error, stdout, stderr) =>
      resolve(`${stdout}${stderr}`));
  });
  const wallMs = Date.now() - started;
  try {
    if (!fs.existsSync(reportPath)) {
      throw new Error(`test/forge-cli/${script} ${args.join(' ')} wrote no report. Its output:\n${output}`);
    }
    return { report: JSON.parse(fs.readFileSync(reportPath, 'utf8')) as Report, output, wallMs };
  } finally {
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
}
