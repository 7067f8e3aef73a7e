import { describe, expect, it } from 'vitest';
import { codepercept } from '../support/cli';
import { makeTempDir } from '../support/tempDir';

/**
 * The built `codepercept chart` (out/node/cli.js: the bundle loads react, react-dom and d3 at run time).
 * Charting a real study waits for the study engine; until then this checks the command is wired, documents
 * itself, and fails with a clear message rather than a stack trace.
 */
describe('codepercept chart (built CLI)', () => {
  it('documents its options', async () => {
    const run = await codepercept(['chart', '--help']);
    expect(run.code).toBe(0);
    for (const flag of [
      '--format <format>',
      '-o, --output <file>',
      '--chart <chart>',
      '--mode <mode>',
      '--metric <metric>',
      '--external <name>',
    ])
      expect(run.stdout).toContain(flag);
    expect(run.stdout).toContain('"perception", "reasoning", "compare"');
  });

  it('says what is missing when there is nothing to chart, with exit code 1', async () => {
    const dir = makeTempDir('codepercept-chart-cli-');
    try {
      const run = await codepercept([
        'chart',
        '--format',
        'svg',
        '-o',
        `${dir.path}/x.svg`,
        '--data-dir',
        dir.path,
      ]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        'error: Nothing to chart: name a study, or external result sets with --external NAME.',
      );
      expect(run.stderr).not.toMatch(/\n\s+at /);
      const bad = await codepercept(['chart', 'x', '--format', 'gif', '-o', 'x.gif']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("argument 'gif' is invalid");
    } finally {
      dir.cleanup();
    }
  });
});
