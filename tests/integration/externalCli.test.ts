import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codepercept } from '../support/cli';
import { repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';

const HEADER = 'label,benchmark,captioner,captioner_params,solver,solver_params,accuracy,n,low,high';

/** The built `codepercept external` against a fresh data dir (the CLI does not load the bundled sample). */
describe('codepercept external (built CLI)', () => {
  const dir = makeTempDir('codepercept-external-cli-');
  const data = join(dir.path, 'data');
  afterAll(() => dir.cleanup());

  it('imports a CSV, lists, shows and removes the set', async () => {
    const paper = join(repoRoot, 'resources/sample/scaling-demo/paper-captioner-solver.csv');
    const imported = await codepercept([
      'external',
      'import',
      paper,
      '--source',
      'CodePercept, captioner–solver table',
      '--data-dir',
      data,
    ]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Imported 28 results as "paper-captioner-solver"');
    expect(imported.stdout).toMatch(
      /CodePercept-S1 captioner\s+Avg\s+CodePercept-32B-S1\s+32B\s+Qwen3-30B-A3B-Thinking\s+30B\s+67\.30%/,
    );

    const list = await codepercept(['external', 'list', '--json', '--data-dir', data]);
    expect(list.code).toBe(0);
    const sets = JSON.parse(list.stdout) as { id: string; name: string; source: string }[];
    expect(sets.map((s) => [s.name, s.source])).toEqual([
      ['paper-captioner-solver', 'CodePercept, captioner–solver table'],
    ]);

    const show = await codepercept(['external', 'show', sets[0]!.id.slice(0, 6), '--data-dir', data]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Source: CodePercept, captioner–solver table');

    const removed = await codepercept(['external', 'remove', 'PAPER-captioner-solver', '--data-dir', data]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('Removed "paper-captioner-solver"');
    const empty = await codepercept(['external', 'list', '--data-dir', data]);
    expect(empty.stdout).toContain('No external result sets.');
  });

  it('refuses a bad CSV naming each line and column, with exit code 1 and nothing stored', async () => {
    const bad = join(dir.path, 'bad.csv');
    writeFileSync(
      bad,
      `${HEADER}\nlab,overall,cap,2e9,solver,7e9,abc,,,\nlab,overall,cap2,4 billion,solver,7B,0.4,,,\n`,
    );
    const run = await codepercept(['external', 'import', bad, '--name', 'lab', '--data-dir', data]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: "lab" has 2 problems; nothing was imported.');
    expect(run.stderr).toContain('line 2, column accuracy: "abc" is not a number');
    expect(run.stderr).toContain('line 3, column captioner_params: "4 billion" is not a parameter count');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const list = await codepercept(['external', 'list', '--json', '--data-dir', data]);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });
});
