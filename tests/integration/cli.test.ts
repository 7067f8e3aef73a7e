import { afterAll, describe, expect, it } from 'vitest';
import type { JobSnapshot } from '../../main/api/jobs';
import type { EnvironmentCheck } from '../../main/api/system';
import { codepercept } from '../support/cli';
import { makeTempDir } from '../support/tempDir';

describe('the codepercept CLI (built bundle)', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());

  it('doctor --json reports every check with a fix where something is missing', async () => {
    const { stdout } = await codepercept(['doctor', '--json', '--data-dir', dir.path]);
    const report = JSON.parse(stdout) as {
      dataDir: string;
      dataDirSource: string;
      checks: EnvironmentCheck[];
    };
    expect(report.dataDir).toBe(dir.path);
    expect(report.dataDirSource).toBe('flag');
    expect(report.checks.map((c) => c.id)).toEqual([
      'node',
      'python',
      'matplotlib',
      'gpu',
      'sandbox',
      'data-dir',
      'chromium',
      'engine',
    ]);
    for (const c of report.checks)
      if (c.status !== 'ok') expect(c.fix, `${c.id} needs a fix text`).toBeTruthy();
  });

  it('doctor exits non-zero and says how to fix a missing interpreter', async () => {
    const { code, stdout } = await codepercept([
      'doctor',
      '--data-dir',
      dir.path,
      '--python',
      '/no/such/python',
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ Python\s+not found \(tried \/no\/such\/python\)/);
    expect(stdout).toContain('fix: Install Python 3');
  });

  it('jobs demo runs a job to the end; jobs lists it', async () => {
    const demo = await codepercept([
      'jobs',
      'demo',
      '--items',
      '6',
      '--delay',
      '5',
      '--json',
      '--data-dir',
      dir.path,
    ]);
    expect(demo.code).toBe(0);
    const job = JSON.parse(demo.stdout) as JobSnapshot;
    expect(job).toMatchObject({ state: 'done', done: 6, total: 6 });
    const list = await codepercept(['jobs', '--json', '--data-dir', dir.path]);
    expect((JSON.parse(list.stdout) as JobSnapshot[]).map((j) => j.id)).toContain(job.id);
    const table = await codepercept(['jobs', '--data-dir', dir.path]);
    expect(table.stdout).toContain(job.id.slice(0, 8));
    expect(table.stdout).toContain('6/6');
  });

  it('rejects bad arguments with a message, not a stack trace', async () => {
    const { code, stderr } = await codepercept(['jobs', 'demo', '--items', 'many', '--data-dir', dir.path]);
    expect(code).not.toBe(0);
    expect(stderr).toContain("option '--items <n>' argument 'many' is invalid");
    const cancel = await codepercept(['jobs', 'cancel', 'zzzz', '--data-dir', dir.path]);
    expect(cancel.code).toBe(1);
    expect(cancel.stderr).toContain('error: No job matches "zzzz".');
  });
});
