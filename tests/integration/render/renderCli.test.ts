import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codepercept } from '../../support/cli';
import { makeTempDir } from '../../support/tempDir';
import { SIMPLE_PLOT } from './renderHarness';

describe('codepercept render', () => {
  const dir = makeTempDir('codepercept-render-cli-');
  const data = join(dir.path, 'data');
  const out = join(dir.path, 'out');
  afterAll(() => dir.cleanup());

  it('renders many files through the pool: a PNG and a trace per file, one JSON line each', async () => {
    const files = {
      good: join(dir.path, 'good.py'),
      broken: join(dir.path, 'broken.py'),
      slow: join(dir.path, 'slow.py'),
    };
    writeFileSync(files.good, SIMPLE_PLOT);
    writeFileSync(files.broken, `${SIMPLE_PLOT}undefined_name\n`);
    writeFileSync(files.slow, 'while True:\n    pass\n');
    const missing = join(dir.path, 'missing.py');
    const { code, stdout } = await codepercept([
      'render',
      files.good,
      files.broken,
      files.slow,
      missing,
      '--out-dir',
      out,
      '--timeout',
      '2',
      '--json',
      '--data-dir',
      data,
    ]);
    expect(code).toBe(1);
    const lines = stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            file: string;
            status: string;
            failure: { type?: string; line?: number } | null;
            ms: number;
            png: string | null;
            trace: string | null;
          },
      );
    const byFile = Object.fromEntries(lines.map((l) => [l.file, l]));
    expect(Object.keys(byFile).sort()).toEqual([files.broken, files.good, missing, files.slow].sort());
    expect(byFile[files.good]).toMatchObject({
      status: 'ok',
      png: join(out, 'good.png'),
      trace: join(out, 'good.trace.json'),
    });
    expect(byFile[files.broken]).toMatchObject({
      status: 'runtime_error',
      failure: { type: 'NameError', line: 3 },
    });
    expect(byFile[files.slow]?.status).toBe('timeout');
    expect(byFile[missing]?.status).toBe('unreadable');
    expect(readFileSync(join(out, 'good.png')).subarray(1, 4).toString()).toBe('PNG');
    const trace = JSON.parse(readFileSync(join(out, 'good.trace.json'), 'utf8')) as { schemaVersion: number };
    expect(trace.schemaVersion).toBe(1);
    // The partial render of the broken file is written too.
    expect(existsSync(join(out, 'broken.png'))).toBe(true);
  });

  it('prints a readable line per file and exits 0 when all render, in official mode too', async () => {
    const file = join(dir.path, 'official.py');
    writeFileSync(file, `${SIMPLE_PLOT}plt.savefig('whatever.png')\n`);
    const { code, stdout, stderr } = await codepercept([
      'render',
      file,
      '--mode',
      'official',
      '--data-dir',
      data,
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/✓ .*official\.py {2}ok {2}\d+ ms/);
    expect(stderr).toMatch(/1\/1 rendered ok \(official mode, sandbox: bwrap \+ seccomp\)/);
    expect(existsSync(join(dir.path, 'official.png'))).toBe(true);
  });
});
