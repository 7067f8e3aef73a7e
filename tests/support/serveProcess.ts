import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const cliPath = resolve(repoRoot, 'bin', 'codepercept.js');

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  port: number;
  token: string;
  stderr: () => string;
  stop(): Promise<void>;
}

/** Starts the real `codepercept serve` (the built CLI) and resolves once it prints its URL. */
export function startServe(dataDir: string, extraArgs: string[] = []): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [cliPath, 'serve', '--port', '0', '--data-dir', dataDir, ...extraArgs],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`codepercept serve printed no URL within 30 s.\nstdout:\n${stdout}\nstderr:\n${stderr}`),
      );
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`codepercept serve exited with ${code}.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    });
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]+)/.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolvePromise({
        child,
        url: m[0],
        port: Number(m[1]),
        token: m[2]!,
        stderr: () => stderr,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
