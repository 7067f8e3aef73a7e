import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cliPath, repoRoot } from './serveProcess';

const exec = promisify(execFile);

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `codepercept` as a user would; resolves with exit code and output even when it fails. */
export async function codepercept(
  args: string[],
  timeoutMs = 120_000,
  options: { cwd?: string } = {},
): Promise<CliRun> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [cliPath, ...args], {
      cwd: options.cwd ?? repoRoot,
      timeout: timeoutMs,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
