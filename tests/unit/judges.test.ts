import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatRequest, ChatResult, LoadedModel } from '../../main/api/models';
import type { ChatCallOptions, ChatModel } from '../../main/models/chatEngine';
import { CODE_RUBRIC, codeJudgeMessages, judgeCode } from '../../main/eval/judges/codeJudge';
import { IMAGE_RUBRIC, imageJudgeMessages, judgeImage } from '../../main/eval/judges/imageJudge';
import {
  AUDIT_THRESHOLDS,
  auditFindings,
  auditJudge,
  metricAgreement,
  scoreAgreement,
} from '../../main/eval/judges/judgeAudit';
import { JUDGE_MAX_TOKENS } from '../../main/eval/judges/judgeRunner';
import { fractionalRanks, pearson, spearman } from '../../main/eval/judges/rankCorrelation';
import { GENERATION_USER_PROMPT } from '../../main/eval/protocol/prompts';

/** A reply, a failed call, or a function of the request (unit level only; integration tests use real engines). */
type Script = string | Error | ((request: ChatRequest) => string);

/** A ChatModel that answers from a script and records what it was asked. */
class ScriptedChatModel implements ChatModel {
  readonly kind = 'openai' as const;
  readonly requests: ChatRequest[] = [];

  constructor(
    private readonly script: Script[] | ((request: ChatRequest) => string),
    readonly vision = true,
  ) {}

  describe(): LoadedModel {
    return {
      id: 'scripted',
      name: 'scripted judge',
      engine: 'openai',
      state: 'ready',
      progress: 1,
      vision: this.vision,
      gpu: null,
      memory: null,
      pid: null,
      error: null,
    };
  }

  chat(request: ChatRequest, options: ChatCallOptions = {}): Promise<ChatResult> {
    this.requests.push(request);
    const step = typeof this.script === 'function' ? this.script : this.script[this.requests.length - 1];
    if (step === undefined) return Promise.reject(new Error('script exhausted'));
    if (step instanceof Error) return Promise.reject(step);
    const text = typeof step === 'function' ? step(request) : step;
    return Promise.resolve({
      text,
      stopReason: options.signal?.aborted ? 'aborted' : 'eos',
      tokens: { prompt: 1, completion: 1 },
      timings: { firstTokenMs: 1, totalMs: 1, tokensPerSecond: null },
    });
  }

  unload(): Promise<void> {
    return Promise.resolve();
  }
}

const textOf = (message: ChatMessage): string =>
  typeof message.content === 'string'
    ? message.content
    : message.content.map((p) => (p.type === 'text' ? p.text : `[image ${p.image}]`)).join('\n');

const REF = 'data:image/png;base64,UkVG';
const CAND = '/tmp/figures/candidate.png';

describe('image judge prompt', () => {
  const messages = imageJudgeMessages({ referenceImage: REF, candidateImage: CAND });
  const user = messages[1]!;
  const parts = Array.isArray(user.content) ? user.content : [];

  it('shows the task text, then the reference image, then the rendered image', () => {
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(parts.map((p) => p.type)).toEqual(['text', 'image', 'text', 'image', 'text']);
    expect(parts.filter((p) => p.type === 'image').map((p) => p.image)).toEqual([REF, CAND]);
    const first = parts[0]!;
    expect(first.type === 'text' && first.text).toContain(GENERATION_USER_PROMPT);
    expect(first.type === 'text' && first.text).toMatch(/reference figure:$/);
    const between = parts[2]!;
    expect(between.type === 'text' && between.text).toMatch(/rendered from the generated code/);
  });

  it('lists the protocol rubric with its weights and asks for the score line', () => {
    const text = textOf(user);
    expect(IMAGE_RUBRIC.map((r) => [r.name, r.points])).toEqual([
      ['Geometric & structural completeness', 30],
      ['Positional & relational accuracy', 30],
      ['Text & annotation fidelity', 10],
      ['Visual & stylistic consistency', 20],
      ['Clarity & legibility', 10],
    ]);
    for (const item of IMAGE_RUBRIC) expect(text).toContain(`${item.name} (${item.points} points)`);
    expect(text).toContain('Score: N/100');
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/Score: N\/100/);
  });
});

describe('code judge prompt', () => {
  const reference = 'import matplotlib.pyplot as plt\nplt.plot([0, 1], [0, 1])';
  const candidate = 'import matplotlib.pyplot as plt\n# a ``` fence inside a comment\nplt.plot([0, 1])';
  const messages = codeJudgeMessages({ referenceCode: reference, candidateCode: candidate });
  const text = textOf(messages[1]!);

  it('shows the reference code, then the generated code, each in a fence the code cannot close', () => {
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    const ref = text.indexOf(reference);
    const gen = text.indexOf(candidate);
    expect(ref).toBeGreaterThan(text.indexOf('Reference code:'));
    expect(gen).toBeGreaterThan(text.indexOf('Generated code:'));
    expect(ref).toBeLessThan(gen);
    expect(text).toContain('````python\n' + candidate + '\n````');
    expect(text).toContain('```python\n' + reference + '\n```');
    expect(text).toMatch(/same figure/);
    expect(text).toMatch(/implementation[^.]*do not matter/);
  });

  it('lists the protocol rubric with its weights and asks for the score line', () => {
    expect(CODE_RUBRIC.map((r) => [r.name, r.points])).toEqual([
      ['Overall layout & visual attributes', 20],
      ['Quantitative fidelity', 20],
      ['Positioning & layout', 30],
      ['Relationships & stacking', 20],
      ['Code quality', 10],
    ]);
    for (const item of CODE_RUBRIC) expect(text).toContain(`${item.name} (${item.points} points)`);
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/Score: N\/100/);
  });
});

describe('judge attempts and failures', () => {
  const codes = { referenceCode: 'a = 1', candidateCode: 'a = 2' };

  it('asks at temperature 0 and stops at the first reply with a score', async () => {
    const model = new ScriptedChatModel(['Layout matches.\n**Score:** 85/100', 'never asked']);
    const judgment = await judgeCode(model, codes, { attempts: 3 });
    expect(judgment).toEqual({
      score: 85,
      reply: 'Layout matches.\n**Score:** 85/100',
      attempts: 1,
      failures: 0,
      error: null,
    });
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0]).toMatchObject({ temperature: 0, seed: 0, maxTokens: JUDGE_MAX_TOKENS });
  });

  it('retries an unscored reply and a failed call, counting both', async () => {
    const model = new ScriptedChatModel([
      'The two programs look alike.',
      new Error('HTTP 400: bad request'),
      'Score: 64/100',
    ]);
    const judgment = await judgeImage(model, { referenceImage: REF, candidateImage: CAND }, { attempts: 3 });
    expect(judgment).toMatchObject({ score: 64, attempts: 3, failures: 2, error: null });
    expect(model.requests).toHaveLength(3);
    // Every attempt asks the same question, each with its own fixed seed (reproducible, yet a fresh try).
    expect(model.requests.map((r) => r.seed)).toEqual([0, 1, 2]);
    expect(model.requests[2]).toEqual({ ...model.requests[0], seed: 2 });
  });

  it('after the last failure the score is null and the error says why — never a silent 0', async () => {
    const model = new ScriptedChatModel(['No numbers here.', new Error('socket hang up')]);
    const judgment = await judgeCode(model, codes, { attempts: 2 });
    expect(judgment.score).toBeNull();
    expect(judgment.attempts).toBe(2);
    expect(judgment.failures).toBe(2);
    expect(judgment.reply).toBe('No numbers here.');
    expect(judgment.error).toMatch(/No score after 2 attempts/);
    expect(judgment.error).toMatch(/attempt 1: the reply had no score/);
    expect(judgment.error).toMatch(/attempt 2: the call failed \(socket hang up\)/);
  });

  it('grades only the answer after a reasoning judge has thought', async () => {
    const model = new ScriptedChatModel(['<think>Maybe Score: 20/100? No.</think>\nScore: 78/100']);
    expect((await judgeCode(model, codes, { attempts: 1 })).score).toBe(78);
    const unfinished = new ScriptedChatModel(['<think>Geometry 25, colours 18', 'Score: 50/100']);
    expect(await judgeCode(unfinished, codes, { attempts: 2 })).toMatchObject({ score: 50, failures: 1 });
  });

  it('propagates an abort instead of counting it as a failure', async () => {
    const controller = new AbortController();
    const model = new ScriptedChatModel(() => {
      controller.abort(new Error('run cancelled'));
      return 'partial';
    });
    await expect(judgeCode(model, codes, { attempts: 3, signal: controller.signal })).rejects.toThrow(
      'run cancelled',
    );
    expect(model.requests).toHaveLength(1);
    const failing = new ScriptedChatModel([new Error('aborted by the engine')]);
    const stopped = new AbortController();
    stopped.abort();
    await expect(judgeCode(failing, codes, { attempts: 3, signal: stopped.signal })).rejects.toThrow();
    expect(failing.requests).toHaveLength(0);
  });

  it('refuses a text-only model as the image judge and nonsensical attempts', async () => {
    const textOnly = new ScriptedChatModel(['Score: 90/100'], false);
    await expect(
      judgeImage(textOnly, { referenceImage: REF, candidateImage: CAND }, { attempts: 1 }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringMatching(/takes no images/) });
    expect(textOnly.requests).toHaveLength(0);
    await expect(judgeCode(new ScriptedChatModel([]), codes, { attempts: 0 })).rejects.toThrow(RangeError);
  });
});

describe('Spearman rank correlation', () => {
  it('ranks ties by the mean of the ranks they span', () => {
    expect(fractionalRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(fractionalRanks([3, 1, 3, 3, 2])).toEqual([4, 1, 4, 4, 2]);
    expect(fractionalRanks([])).toEqual([]);
  });

  it('matches hand-computed values, ties included', () => {
    // y ranks [1, 2, 3.5, 5, 3.5]; Σdxdy = 8, Σdx² = 10, Σdy² = 9.5 → 8/√95 (scipy: 0.8207826816681233).
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 12);
    // Monotone but not linear: rank correlation 1 where Pearson is below it.
    expect(spearman([1, 2, 3, 4], [1, 10, 100, 1000])).toBe(1);
    expect(pearson([1, 2, 3, 4], [1, 10, 100, 1000])!).toBeLessThan(0.9);
    expect(spearman([1, 2, 3], [9, 5, 1])).toBe(-1);
    // No ties: 1 − 6Σd²/(n(n²−1)) with d = [3, −2, 1, −2] → 1 − 108/60.
    expect(spearman([80, 40, 60, 50], [0.2, 0.8, 0.5, 0.9])).toBeCloseTo(-0.8, 12);
  });

  it('is undefined (null), not 0, with fewer than two pairs or a constant side', () => {
    expect(spearman([], [])).toBeNull();
    expect(spearman([5], [1])).toBeNull();
    expect(spearman([1, 2, 3], [4, 4, 4])).toBeNull();
    expect(() => spearman([1, 2], [1])).toThrow(RangeError);
  });
});

describe('judge audit', () => {
  /** Replies by the images shown, in order of asking: [first time, second time]. */
  const replies: Record<string, string[]> = {
    'R1|R1': ['Identical figures. Score: 100/100'],
    'R2|R2': ['Score: 95/100'],
    'R3|R3': ['They match.', '**Score:** 90/100'],
    'R4|R4': ['I cannot tell.', 'Still cannot tell.'],
    'R1|C1': ['Score: 80/100', 'Score: 80/100'],
    'R2|C2': ['Score: 40/100', 'Score: 45/100'],
    'R3|C3': ['Score: 60/100', 'Score: 60/100'],
    'R4|C4': ['Score: 50/100', 'Score: 50/100'],
    'C1|R1': ['Score: 70/100'],
    'C2|R2': ['Score: 40/100'],
    'C3|R3': ['Score: 65/100'],
    'C4|R4': ['Close match overall, I would give 50'],
  };
  const items = [
    {
      id: 'a',
      reference: 'R1',
      candidate: 'C1',
      metrics: { ssim: 0.9, textF1: 0.2, edgeF1: 1, perceptual: null },
    },
    {
      id: 'b',
      reference: 'R2',
      candidate: 'C2',
      metrics: { ssim: 0.5, textF1: 0.8, edgeF1: 0.5, perceptual: null },
    },
    {
      id: 'c',
      reference: 'R3',
      candidate: 'C3',
      metrics: { ssim: 0.7, textF1: 0.5, edgeF1: 0.5, perceptual: null },
    },
    {
      id: 'd',
      reference: 'R4',
      candidate: 'C4',
      metrics: { ssim: null, textF1: 0.9, edgeF1: 1, perceptual: null },
    },
  ];

  function scriptedJudge() {
    const asked = new Map<string, number>();
    return new ScriptedChatModel((request) => {
      const parts = request.messages[1]!.content;
      const key = (Array.isArray(parts) ? parts : [])
        .flatMap((p) => (p.type === 'image' ? [p.image] : []))
        .join('|');
      const n = asked.get(key) ?? 0;
      asked.set(key, n + 1);
      return replies[key]![n]!;
    });
  }

  it('reports self scores, repeat and swapped agreement, and metric correlations as computed by hand', async () => {
    const model = scriptedJudge();
    const progress: number[] = [];
    const report = await auditJudge(model, items, {
      kind: 'image',
      attempts: 2,
      onProgress: (done, total) => progress.push(done / total),
    });
    expect(model.requests).toHaveLength(16 + 2);
    expect(progress).toHaveLength(16);
    expect(progress.at(-1)).toBe(1);
    expect(report).toMatchObject({
      kind: 'image',
      judge: 'scripted judge',
      items: 4,
      judgments: 16,
      failedJudgments: 1,
      // R4 against itself failed twice; R3 against itself once before scoring.
      failedAttempts: 3,
      // "…I would give 50" has no score line: the protocol's fallback read it.
      fallbackScores: 1,
      self: { scored: 3, mean: 95, min: 90 },
      // Second − first: 0, +5, 0, 0.
      repeat: { pairs: 4, meanAbsDiff: 1.25, meanDiff: 1.25, exactShare: 0.75 },
      // Candidate first − reference first: −10, 0, +5, 0.
      swapped: { pairs: 4, meanAbsDiff: 3.75, meanDiff: -1.25, exactShare: 0.5 },
    });
    const byMetric = Object.fromEntries(report.metricAgreement.map((m) => [m.metric, m]));
    expect(Object.keys(byMetric)).toEqual(['edgeF1', 'perceptual', 'ssim', 'textF1']);
    // Scores 80, 40, 60 (item d has no SSIM) against SSIM 0.9, 0.5, 0.7: the same order.
    expect(byMetric.ssim).toEqual({ metric: 'ssim', pairs: 3, spearman: 1 });
    expect(byMetric.textF1!.spearman).toBeCloseTo(-0.8, 12);
    // Score ranks [4, 1, 3, 2], edge ranks [3.5, 1.5, 1.5, 3.5]: Σdxdy = 2, Σdx² = 5, Σdy² = 4 → 2/√20.
    expect(byMetric.edgeF1!.spearman).toBeCloseTo(2 / Math.sqrt(20), 12);
    expect(byMetric.perceptual).toEqual({ metric: 'perceptual', pairs: 0, spearman: null });
    expect(Object.fromEntries(report.findings.map((f) => [f.check, f.level]))).toEqual({
      self: 'good',
      repeat: 'good',
      swapped: 'good',
      metrics: 'good',
      // 1 of 16 judgments failed: 6.25%, above the 5% a trusted judge may lose.
      failures: 'doubtful',
      // 1 of 15 scores by the fallback rule: 6.7%.
      format: 'doubtful',
    });
    expect(report.findings.find((f) => f.check === 'metrics')!.message).toMatch(
      /ssim \(Spearman 1\.00 over 3 items\)/,
    );
    expect(report.perItem.find((r) => r.id === 'd')!.self).toMatchObject({ score: null, failures: 2 });
    expect(report.perItem.find((r) => r.id === 'a')!.swapped.score).toBe(70);
  });

  it('audits the code judge with the codes swapped the same way', async () => {
    const shown: string[] = [];
    const model = new ScriptedChatModel((request) => {
      const text = request.messages[1]!.content as string;
      shown.push(/Reference code:\n```python\n(.*)\n```/.exec(text)![1]!);
      return 'Score: 100/100';
    });
    const report = await auditJudge(model, [{ id: 'x', reference: 'ref()', candidate: 'gen()' }], {
      kind: 'code',
      attempts: 1,
      concurrency: 4,
    });
    expect(shown.sort()).toEqual(['gen()', 'ref()', 'ref()', 'ref()']);
    expect(report.metricAgreement).toEqual([]);
    expect(report.findings.find((f) => f.check === 'metrics')!.level).toBe('unknown');
  });

  it('grades poor and unknown checks', () => {
    const findings = auditFindings({
      kind: 'image',
      judge: 'j',
      items: 5,
      judgments: 20,
      failedJudgments: 10,
      failedAttempts: 25,
      fallbackScores: 5,
      self: { scored: 5, mean: 60, min: 20 },
      repeat: scoreAgreement([50, 50], [30, 80]),
      swapped: scoreAgreement([null], [null]),
      metricAgreement: metricAgreement([10, 20, 30], [{ ssim: 0.3 }, { ssim: 0.2 }, { ssim: 0.1 }]),
    });
    expect(Object.fromEntries(findings.map((f) => [f.check, f.level]))).toEqual({
      self: 'poor',
      repeat: 'poor',
      swapped: 'unknown',
      metrics: 'poor',
      failures: 'poor',
      format: 'poor',
    });
    expect(AUDIT_THRESHOLDS.self.good).toBeGreaterThan(AUDIT_THRESHOLDS.self.poor);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const model = new ScriptedChatModel(() => {
      controller.abort(new Error('audit cancelled'));
      return 'Score: 1/100';
    });
    await expect(
      auditJudge(model, items, { kind: 'image', attempts: 1, signal: controller.signal }),
    ).rejects.toThrow('audit cancelled');
    expect(model.requests).toHaveLength(1);
  });
});
