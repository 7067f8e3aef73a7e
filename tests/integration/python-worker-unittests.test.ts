import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/serveProcess';

// The render worker's own Python tests (native/python/tests), so `npm test` runs them too.
const python = process.env.CODEPERCEPT_PYTHON ?? '/usr/bin/python3';

describe('the Python render worker and tracer unit tests', () => {
  it('pass under unittest', () => {
    const run = spawnSync(
      python,
      ['-m', 'unittest', 'discover', '-s', 'native/python/tests', '-t', 'native/python'],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 240_000,
        env: { PATH: process.env.PATH, LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' },
      },
    );
    const output = `${run.stdout}${run.stderr}${run.error ? `\n${run.error.message}` : ''}`;
    expect(run.status, output).toBe(0);
  }, 300_000);
});
