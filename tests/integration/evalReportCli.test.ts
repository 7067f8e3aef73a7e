import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunComparison, RunSummaryReport } from '../../main/api/eval';
import type { JsonReport } from '../../main/eval/report/toJson';
import { codepercept } from '../support/cli';
import { repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';

const MINI = join(repoRoot, 'resources/sample/stem2code-mini/benchmark.jsonl');
const ITEMS = 12;

/** Answers to the first items: the reference code (a comment apart), or in run A a syntax error on every 4th. */
function predictions(file: string, broken: (i: number) => boolean): void {
  const lines = readFileSync(MINI, 'utf8').trim().split('\n').slice(0, ITEMS);
  const answers = lines.map((line, i) => {
    const code = (JSON.parse(line) as { messages: { content: { text?: string }[] }[] }).messages[3]!
      .content[0]!.text!;
    const answer = broken(i) ? 'plt.plot(' : `${code}\n# answer ${i}\n`;
    return JSON.stringify({ uid: String(i), response: `\`\`\`python\n${answer}\n\`\`\`` });
  });
  writeFileSync(file, `${answers.join('\n')}\n`);
}

describe('codepercept report and compare on predictions runs over the mini benchmark', () => {
  const dir = makeTempDir('codepercept-report-');
  const dataDir = join(dir.path, 'data');
  const runs: Record<string, { runId: string; summary: RunSummaryReport }> = {};

  async function evalRun(name: string, broken: (i: number) => boolean) {
    const file = join(dir.path, `${name}.jsonl`);
    predictions(file, broken);
    const args = [
      'eval',
      '--benchmark',
      'mini',
      '--predictions',
      file,
      '--name',
      name,
      '--limit',
      String(ITEMS),
    ];
    const result = await codepercept([...args, '--json', '--data-dir', dataDir], 300_000);
    expect(result.code, result.stderr).toBe(0);
    runs[name] = JSON.parse(result.stdout) as { runId: string; summary: RunSummaryReport };
  }

  beforeAll(async () => {
    const imported = await codepercept([
      'import',
      MINI,
      '--format',
      'stem2code',
      '--name',
      'mini',
      '--data-dir',
      dataDir,
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    await evalRun('A', (i) => i % 4 === 1);
    await evalRun('B', () => false);
  }, 600_000);

  afterAll(() => dir.cleanup());

  it('JSON: the summary agrees with eval, every finished item with stages, reference image and every metric', async () => {
    const out = join(dir.path, 'a.json');
    const result = await codepercept([
      'report',
      runs.A!.runId.slice(0, 8),
      '--format',
      'json',
      '-o',
      out,
      '--data-dir',
      dataDir,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Wrote the JSON report of run .* "A" to .* \(\d+ bytes\)/);
    const report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
    const o = report.summary.overall;
    expect(o.items).toBe(ITEMS);
    expect(o.execRate.mean).toBe(75);
    expect(o.execRate.mean).toBe(runs.A!.summary.overall.execRate.mean);
    expect(o.failures.syntax).toBe(3);
    // eval.run's summary and the report's are one computation: equal to the last digit, CIs included.
    expect(report.summary.overall).toEqual(runs.A!.summary.overall);
    expect(o.metrics.ssim.strict.low!).toBeLessThanOrEqual(o.metrics.ssim.strict.mean!);
    expect(o.final).toBeNull();
    expect(report.summary.notes[0]).toMatch(/Final, which needs both scores, is not defined/);
    expect(report.items).toHaveLength(ITEMS);
    for (const item of report.items) {
      expect(item.extras!.referenceImageSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(item.extras!.stages!.map((s) => s.stage)).toContain('official');
      expect(item.row).toHaveProperty('curveFidelity');
    }
    expect(report.items[1]!.row.failure).toBe('syntax');
  });

  it('CSV: one row per item, parsed back by csv-parse', async () => {
    const result = await codepercept(['report', runs.A!.runId, '--format', 'csv', '--data-dir', dataDir]);
    expect(result.code, result.stderr).toBe(0);
    const rows = parseCsv(result.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.uid)).toEqual(Array.from({ length: ITEMS }, (_, i) => String(i)));
    expect(rows.filter((r) => r.executed === 'true')).toHaveLength(9);
    expect(rows[1]!.code).toBe('plt.plot(');
    expect(Number(rows[0]!.ssim)).toBe(1);
  });

  it('HTML: self-contained, thumbnails of references and renders embedded, size noted', async () => {
    const out = join(dir.path, 'a.html');
    const result = await codepercept([
      'report',
      runs.A!.runId,
      '--format',
      'html',
      '-o',
      out,
      '--data-dir',
      dataDir,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    // 12 references + 9 renders (the 3 syntax errors drew nothing), as WebP thumbnails.
    expect(html.match(/<img [^>]*src="data:image\/webp;base64,/g)).toHaveLength(21);
    expect(html).not.toMatch(/<script|<link|src="http|href="http/i);
    expect(html).toContain('SyntaxError');
    expect(Buffer.byteLength(html)).toBeLessThan(400_000);
  });

  it('compare: B executes the three items A broke; identical answers elsewhere show no difference', async () => {
    const result = await codepercept([
      'compare',
      runs.A!.runId,
      runs.B!.runId,
      '--json',
      '--data-dir',
      dataDir,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const c = JSON.parse(result.stdout) as RunComparison;
    expect(c.shared).toBe(ITEMS);
    expect(c.flips.executedInAOnly).toEqual([]);
    expect(c.flips.executedInBOnly.map((f) => [f.uid, f.failure])).toEqual([
      ['1', 'syntax'],
      ['5', 'syntax'],
      ['9', 'syntax'],
    ]);
    const exec = c.rows.find((r) => r.quantity === 'execRate')!.strict!;
    expect(exec.meanA).toBe(75);
    expect(exec.meanB).toBe(100);
    expect(exec.difference).toBe(-25);
    // On items both executed the answers are the same code: every metric equal, no detectable difference.
    const ssim = c.rows.find((r) => r.quantity === 'ssim')!.conditional!;
    expect(ssim.n).toBe(9);
    expect(ssim.difference).toBe(0);
    expect(ssim.verdict).toBe('no detectable difference');
    expect(c.rows.find((r) => r.quantity === 'final')!.unavailable).toMatch(/no image or code judge/);

    const table = await codepercept([
      'compare',
      runs.A!.runId.slice(0, 8),
      runs.B!.runId.slice(0, 8),
      '--data-dir',
      dataDir,
    ]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('Executed in B, failed in A (3): 1 [syntax], 5 [syntax], 9 [syntax]');
  });

  it('an unknown run fails with a message, exit 1', async () => {
    const result = await codepercept(['report', 'nosuchrun', '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: /);
  });
});
