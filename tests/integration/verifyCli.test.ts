import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { WorstItem } from '../../main/cli/commands/verify';
import { codepercept } from '../support/cli';
import { repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';

const SAMPLE_DIR = join(repoRoot, 'resources/sample/icc-sample');

describe('codepercept verify (built CLI)', () => {
  const dir = makeTempDir('codepercept-verify-cli-');
  const dataDir = join(dir.path, 'data');
  afterAll(() => dir.cleanup());

  // Six sample items as they are, one whose code raises, one whose first curve was flipped and stretched.
  const rows = readFileSync(join(SAMPLE_DIR, 'items.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .slice(0, 8)
    .map((l) => JSON.parse(l) as { uid: string; image: string; code: string });
  for (const r of rows) r.image = join(SAMPLE_DIR, r.image);
  rows[6]!.code += "\nraise RuntimeError('broken on purpose')\n";
  rows[7]!.code = rows[7]!.code.replace('ax.plot(x, ', 'ax.plot(x, -3 * ');
  const file = join(dir.path, 'mini.jsonl');
  writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);

  it('prints counts per verdict and the worst items, as JSON and as text', async () => {
    const imagesRoot = join(SAMPLE_DIR, '..');
    const imported = await codepercept([
      'import',
      file,
      '--format',
      'jsonl',
      '--images-root',
      imagesRoot,
      '--data-dir',
      dataDir,
    ]);
    expect(imported.code).toBe(0);
    const run = await codepercept(['verify', 'mini', '--json', '--data-dir', dataDir]);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as {
      job: { state: string; total: number };
      counts: Record<string, number>;
      worst: WorstItem[];
    };
    expect(out.job).toMatchObject({ state: 'done', total: 1 });
    expect(out.counts).toEqual({ match: 6, mismatch: 1, render_failed: 1 });
    expect(out.worst.map((w) => [w.uid, w.status, w.renderStatus])).toEqual([
      [rows[6]!.uid, 'render_failed', 'runtime_error'],
      [rows[7]!.uid, 'mismatch', 'ok'],
    ]);

    // The strictest bar: only pixel-identical renders match, as the sample's own code gives.
    const text = await codepercept(['verify', 'mini', '--ssim', '1', '--iou', '1.0', '--data-dir', dataDir]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /Verified "mini" \(SSIM ≥ 1, IoU ≥ 1\): match 6, mismatch 1, render_failed 1/,
    );
    expect(text.stdout).toMatch(/Worst items:\nID +UID +STATUS +SSIM +IOU +RENDER/);
    expect(text.stderr).toMatch(/100% 8\/8 items/);
  }, 180_000);

  it('refuses a threshold outside 0–1 and an unknown dataset, saying why', async () => {
    const bad = await codepercept(['verify', 'mini', '--ssim', '1.5', '--data-dir', dataDir]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--ssim.*must be a number from 0 to 1/);
    const unknown = await codepercept(['verify', 'nope', '--data-dir', dataDir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No dataset named "nope"/);
  }, 60_000);
});
