import { describe, expect, it } from 'vitest';
import { evalRunConfigSchema } from '../../main/api/eval';
import type { Judgment } from '../../main/api/eval';
import { judgeAuditParamsSchema } from '../../main/api/judgeAudit';
import type { JudgeAuditReportResult } from '../../main/api/judgeAudit';
import { auditProgress, defaultAuditFormValues, readAuditForm } from '../../renderer/src/eval/auditForm';
import type { AuditFormValues } from '../../renderer/src/eval/auditForm';
import {
  auditHeadline,
  auditRows,
  judgmentCell,
  metricLabel,
  metricRows,
} from '../../renderer/src/eval/auditReport';
import { overlayIou, overlayLines } from '../../renderer/src/eval/overlayCounts';
import { defaultRunFormValues, readPerceptual, readRunForm } from '../../renderer/src/eval/runForm';
import type { RunFormProblems, RunFormValues } from '../../renderer/src/eval/runForm';

const runForm = (patch: Partial<RunFormValues>): RunFormValues => ({
  ...defaultRunFormValues,
  benchmarkId: '7',
  predictionsPath: '/data/preds.jsonl',
  ...patch,
});

describe('run setup form: prompt variant, judge attempts, perceptual model', () => {
  it('sends the prompt variant and judge attempts the form holds', () => {
    const { config, problems } = readRunForm(
      runForm({ promptVariant: 'no-system', judgeAttempts: '5' }),
      'B',
    );
    expect(problems).toEqual({});
    expect(config!.settings).toMatchObject({
      promptVariant: 'no-system',
      judgeAttempts: 5,
      perceptual: null,
    });
    expect(evalRunConfigSchema.parse(config).settings.promptVariant).toBe('no-system');
  });

  it('refuses judge attempts outside 1–10, naming the field', () => {
    for (const text of ['0', '11', '2.5', 'three']) {
      const { config, problems } = readRunForm(runForm({ judgeAttempts: text }), 'B');
      expect(config).toBeNull();
      expect(problems.judgeAttempts).toBe('Judge attempts: a whole number from 1 to 10.');
    }
  });

  it('builds settings.perceptual from an .onnx path and a family; output name only when given', () => {
    const { config } = readRunForm(
      runForm({ perceptual: { modelPath: ' /m/dino.ONNX ', family: 'dinov2', outputName: '  ' } }),
      'B',
    );
    expect(config!.settings!.perceptual).toStrictEqual({ modelPath: '/m/dino.ONNX', family: 'dinov2' });
    expect(evalRunConfigSchema.safeParse(config).success).toBe(true);
    const problems: RunFormProblems = {};
    expect(
      readPerceptual({ modelPath: '/m/clip.onnx', family: 'clip', outputName: 'image_embeds' }, problems),
    ).toStrictEqual({ modelPath: '/m/clip.onnx', family: 'clip', outputName: 'image_embeds' });
    expect(problems).toEqual({});
  });

  it('leaves perceptual off for an empty path, whatever the family says', () => {
    const problems: RunFormProblems = {};
    expect(readPerceptual({ modelPath: '   ', family: 'siglip', outputName: 'x' }, problems)).toBeNull();
    expect(problems).toEqual({});
  });

  it('says next to the field when the path is not an .onnx file or the family is not chosen', () => {
    const { config, problems } = readRunForm(
      runForm({ perceptual: { modelPath: '/m/model.gguf', family: '', outputName: '' } }),
      'B',
    );
    expect(config).toBeNull();
    expect(problems.perceptualPath).toMatch(/\.onnx file/);
    expect(problems.perceptualFamily).toMatch(/family/);
    const onlyFamily = readRunForm(
      runForm({ perceptual: { modelPath: '/m/model.onnx', family: '', outputName: '' } }),
      'B',
    );
    expect(Object.keys(onlyFamily.problems)).toEqual(['perceptualFamily']);
  });
});

const auditForm = (patch: Partial<AuditFormValues>): AuditFormValues => ({
  ...defaultAuditFormValues,
  benchmarkId: '3',
  endpoint: 'judge',
  ...patch,
});

describe('judge audit form', () => {
  it('builds eval.auditJudge params the engine accepts, a run only when one is chosen', () => {
    const { params, problems } = readAuditForm(auditForm({}));
    expect(problems).toEqual({});
    expect(params).toStrictEqual({
      benchmarkDatasetId: 3,
      judge: { kind: 'endpoint', endpoint: 'judge' },
      kind: 'image',
      limit: 10,
      attempts: 3,
      concurrency: 1,
    });
    expect(judgeAuditParamsSchema.safeParse(params).success).toBe(true);
    const local = readAuditForm(
      auditForm({ judgeKind: 'local', model: ' j.gguf ', kind: 'code', runId: 'abc', limit: '' }),
    ).params!;
    expect(local).toMatchObject({ judge: { kind: 'local', model: 'j.gguf' }, kind: 'code', runId: 'abc' });
    expect(local).not.toHaveProperty('limit');
    expect(judgeAuditParamsSchema.safeParse(local).success).toBe(true);
  });

  it('names each wrong field', () => {
    const { params, problems } = readAuditForm(
      auditForm({ benchmarkId: '', endpoint: '', limit: '0', attempts: '11', concurrency: '65' }),
    );
    expect(params).toBeNull();
    expect(problems).toEqual({
      benchmark: 'Choose a benchmark (a STEM2Code dataset).',
      judge: 'Choose the judge endpoint.',
      limit: 'Limit: a whole number from 1 to 10000.',
      attempts: 'Attempts: a whole number from 1 to 10.',
      concurrency: 'Concurrency: a whole number from 1 to 64.',
    });
    expect(readAuditForm(auditForm({ judgeKind: 'local', model: '' })).problems.judge).toBe(
      'Choose the judge model.',
    );
  });

  it('reads progress chunks as judge calls, and says where a cancelled audit stopped', () => {
    expect(auditProgress(null)).toEqual({ label: 'Loading the judge…', fraction: 0 });
    expect(auditProgress({ done: 3, total: 8 })).toEqual({ label: '3 of 8 judge calls', fraction: 0.375 });
    expect(auditProgress({ done: 3, total: 8 }, true).label).toBe('Cancelled after 3 of 8 judge calls');
    expect(auditProgress(null, true).label).toBe('Cancelled before the first judge call finished');
  });
});

const judgment = (score: number | null, failures = 0): Judgment => ({
  score,
  reply: score === null ? 'no idea' : `Score: ${score}/100`,
  attempts: failures + 1,
  failures,
  error: score === null ? 'no score in the reply' : null,
});

const report: JudgeAuditReportResult = {
  kind: 'code',
  judge: 'judge-vl',
  items: 2,
  judgments: 8,
  failedJudgments: 1,
  failedAttempts: 3,
  fallbackScores: 2,
  self: { scored: 2, mean: 92.5, min: 85 },
  repeat: { pairs: 2, meanAbsDiff: 1.5, meanDiff: 0.5, exactShare: 0.5 },
  swapped: { pairs: 1, meanAbsDiff: 12, meanDiff: -12, exactShare: 0 },
  metricAgreement: [
    { metric: 'colorF1', pairs: 2, spearman: null },
    { metric: 'ssim', pairs: 2, spearman: 0.4 },
    { metric: 'foregroundIou', pairs: 2, spearman: 1 },
  ],
  findings: [
    { check: 'self', level: 'good', message: 'self finding' },
    { check: 'repeat', level: 'good', message: 'repeat finding' },
    { check: 'swapped', level: 'doubtful', message: 'swapped finding' },
    { check: 'metrics', level: 'good', message: 'metrics finding' },
    { check: 'failures', level: 'doubtful', message: 'failures finding' },
    { check: 'format', level: 'poor', message: 'format finding' },
  ],
  perItem: [
    {
      id: '0',
      self: judgment(100),
      first: judgment(85, 1),
      repeat: judgment(85),
      swapped: judgment(73),
      metrics: {},
    },
    {
      id: '1',
      self: judgment(85),
      first: judgment(60),
      repeat: judgment(63),
      swapped: judgment(null, 2),
      metrics: {},
    },
  ],
};

describe('judge audit report', () => {
  it('has one row per check in the protocol’s order with its number, the engine’s verdict and finding', () => {
    const rows = auditRows(report);
    expect(rows.map((r) => [r.check, r.value, r.level, r.finding])).toEqual([
      ['self', 'mean 92.5, lowest 85.0', 'good', 'self finding'],
      ['repeat', '|Δ| 1.5, 50% identical', 'good', 'repeat finding'],
      ['swapped', '|Δ| 12.0, mean Δ −12.0', 'doubtful', 'swapped finding'],
      ['metrics', 'ρ 1.00 (FG IoU)', 'good', 'metrics finding'],
      ['failures', '1 of 8', 'doubtful', 'failures finding'],
      ['format', '2 of 7', 'poor', 'format finding'],
    ]);
    for (const row of rows) expect(row.question.length).toBeGreaterThan(20);
  });

  it('shows — and "unknown" where a check had nothing to measure', () => {
    const empty: JudgeAuditReportResult = {
      ...report,
      judgments: 4,
      failedJudgments: 4,
      self: { scored: 0, mean: null, min: null },
      repeat: { pairs: 0, meanAbsDiff: null, meanDiff: null, exactShare: null },
      swapped: { pairs: 0, meanAbsDiff: null, meanDiff: null, exactShare: null },
      metricAgreement: [],
      findings: [],
    };
    const rows = auditRows(empty);
    expect(rows.map((r) => r.value)).toEqual(['—', '—', '—', '—', '4 of 4', '—']);
    expect(new Set(rows.map((r) => r.level))).toEqual(new Set(['unknown']));
  });

  it('lists metric correlations best first, unknown ones last, under the results table’s labels', () => {
    expect(metricRows(report)).toEqual([
      { metric: 'foregroundIou', label: 'FG IoU', pairs: 2, spearman: '1.00' },
      { metric: 'ssim', label: 'SSIM', pairs: 2, spearman: '0.40' },
      { metric: 'colorF1', label: 'Colour F1', pairs: 2, spearman: '—' },
    ]);
    expect(metricLabel('somethingNew')).toBe('somethingNew');
  });

  it('shows each judgment’s score, or "no score" with why', () => {
    expect(judgmentCell(judgment(85, 1))).toEqual({
      text: '85',
      failed: false,
      title: '1 failed attempt(s) before this score',
    });
    expect(judgmentCell(judgment(null, 2))).toEqual({
      text: 'no score',
      failed: true,
      title: 'no score in the reply',
    });
    expect(auditHeadline(report)).toBe('judge-vl as the code judge · 2 items · 8 judgments');
  });
});

describe('overlay counts', () => {
  it('lists ink by side with its share, and the IoU the counts imply', () => {
    const counts = { referenceOnly: 1500, candidateOnly: 500, shared: 8000 };
    expect(overlayLines(counts).map((l) => [l.key, l.swatch, l.pixels, l.share])).toEqual([
      ['referenceOnly', 'ref', '1,500', '15.0%'],
      ['candidateOnly', 'render', '500', '5.0%'],
      ['shared', 'both', '8,000', '80.0%'],
    ]);
    expect(overlayIou(counts)).toBe(0.8);
  });

  it('is IoU 1 with no ink on either side (nothing drawn, nothing missed)', () => {
    const none = { referenceOnly: 0, candidateOnly: 0, shared: 0 };
    expect(overlayIou(none)).toBe(1);
    expect(overlayLines(none).map((l) => l.share)).toEqual(['—', '—', '—']);
  });
});
