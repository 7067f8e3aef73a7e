import { describe, expect, it } from 'vitest';
import { extractCode, stripReasoning } from '../../main/eval/protocol/extractCode';
import { parseJudgeScore } from '../../main/eval/protocol/judgeScore';
import { bootstrapMean, pairedBootstrap, quantile } from '../../main/eval/stats/bootstrap';
import { createRandom } from '../../main/icc/generators/random';

const py = (body: string, info = 'python') => '```' + info + '\n' + body + '\n```';

describe('code extraction (STEM2Code-Eval rule)', () => {
  const cases: [string, string, string | null, string][] = [
    ['plain python block', `Here:\n${py('plt.plot([1,2])')}\nDone.`, 'plt.plot([1,2])', 'python-block'],
    ['first of two python blocks', `${py('a = 1')}\ntext\n${py('b = 2')}`, 'a = 1', 'python-block'],
    [
      'python block wins over an earlier bare block',
      '```\nnot this\n```\n' + py('x = 1'),
      'x = 1',
      'python-block',
    ],
    ['bare block when no python block', 'Code:\n```\nplt.show()\n```', 'plt.show()', 'bare-block'],
    ['other languages are not code', '```bash\npip install x\n```', null, 'none'],
    ['no block at all', 'import matplotlib.pyplot as plt\nplt.show()', null, 'none'],
    ['py and python3 info strings', py('y = 2', 'py'), 'y = 2', 'python-block'],
    ['info string with attributes', py('z = 3', 'python title="fig.py"'), 'z = 3', 'python-block'],
    ['upper-case info string', py('w = 4', 'Python'), 'w = 4', 'python-block'],
    [
      'unclosed block runs to the end (cut off)',
      '```python\nplt.plot(x)\nplt.sa',
      'plt.plot(x)\nplt.sa',
      'python-block',
    ],
    ['tilde fences', '~~~python\nq = 1\n~~~', 'q = 1', 'python-block'],
    [
      'a longer fence holds a shorter one',
      '````python\ns = """\n```\n"""\n````',
      's = """\n```\n"""',
      'python-block',
    ],
    ['empty python block is skipped', '```python\n```\n' + py('k = 1'), 'k = 1', 'python-block'],
    [
      'CRLF-free indentation kept',
      py('for i in range(3):\n    plt.plot(i)'),
      'for i in range(3):\n    plt.plot(i)',
      'python-block',
    ],
    [
      'inline backticks are not fences',
      'Use ```python plt``` inline\n' + py('r = 1'),
      'r = 1',
      'python-block',
    ],
  ];
  it.each(cases)('%s', (_name, response, code, rule) => {
    const out = extractCode(response);
    expect(out.code).toBe(code);
    expect(out.rule).toBe(rule);
  });

  it('takes the last block when the run says so', () => {
    const response = `${py('draft = 1')}\nRevised:\n${py('final = 2')}`;
    expect(extractCode(response, 'last').code).toBe('final = 2');
    expect(extractCode(response, 'first').code).toBe('draft = 1');
  });

  it('keeps only what follows </think>', () => {
    const response = `<think>Maybe ${py('wrong = 1')}</think>\nAnswer:\n${py('right = 1')}`;
    expect(extractCode(response).code).toBe('right = 1');
    expect(stripReasoning('<think>a</think>b</think>c')).toBe('c');
  });

  it('an unclosed <think> leaves nothing to grade', () => {
    expect(extractCode(`<think>reasoning ${py('x = 1')} and more`).code).toBeNull();
  });

  it('a stray </think> without <think> still splits (some templates open the tag in the prompt)', () => {
    expect(extractCode(`thinking...\n</think>\n${py('ok = 1')}`).code).toBe('ok = 1');
  });
});

describe('judge score parsing (STEM2Code-Eval rule)', () => {
  const cases: [string, number | null, string][] = [
    ['Score: 85/100', 85, 'score-line'],
    ['The figure matches well.\nScore: 72/100', 72, 'score-line'],
    ['**Score:** 64/100', 64, 'score-line'],
    ['**Score: 64/100**', 64, 'score-line'],
    ['Score: **90**/100', 90, 'score-line'],
    ['`Score`: `55` / `100`', 55, 'score-line'],
    ['_Score_: _40_/_100_', 40, 'score-line'],
    ['score: 33/100', 33, 'score-line'],
    ['SCORE : 12 / 100', 12, 'score-line'],
    ['Final Score：77/100', 77, 'score-line'],
    ['Score: 0/100', 0, 'score-line'],
    ['Score: 100/100', 100, 'score-line'],
    ['Score: 87.5/100', 87.5, 'score-line'],
    ['First Score: 10/100 then Score: 90/100', 10, 'score-line'],
    ['Geometry 25/30, text 8/10. Overall 70', 70, 'last-integer'],
    ['I would rate it 65 out of 100', 100, 'last-integer'],
    ['Score: 85/1000 is a typo; overall 80', 80, 'last-integer'],
    ['Rating 45.', 45, 'last-integer'],
    // The rule as published: a denominator is an integer not followed by "/", so it is taken.
    ['Structure 30/30, position 20/30', 30, 'last-integer'],
    ['Overall 7.5 of 10', 10, 'last-integer'],
    ['No number here.', null, 'none'],
    ['', null, 'none'],
    ['Seen in 2024', null, 'none'],
    ['Score: 150/100, overall 60', 60, 'last-integer'],
  ];
  it.each(cases)('%j', (reply, score, rule) => {
    expect(parseJudgeScore(reply)).toEqual({ score, rule });
  });
});

describe('bootstrap', () => {
  it('is reproducible with a seed', () => {
    const values = Array.from({ length: 50 }, (_, i) => (i * 37) % 11);
    expect(bootstrapMean(values, { seed: 1 })).toEqual(bootstrapMean(values, { seed: 1 }));
    expect(bootstrapMean(values, { seed: 1 }).low).not.toBe(bootstrapMean(values, { seed: 2 }).low);
  });

  it('a constant sample has a zero-width interval at its value', () => {
    expect(bootstrapMean([7, 7, 7, 7])).toEqual({ mean: 7, low: 7, high: 7, n: 4 });
  });

  it('covers the mean and narrows as the sample grows', () => {
    const random = createRandom(3).next;
    const sample = (n: number) => Array.from({ length: n }, () => (random() < 0.5 ? 0 : 100));
    const small = bootstrapMean(sample(40));
    const large = bootstrapMean(sample(4000));
    expect(small.low).toBeLessThan(small.mean);
    expect(small.high).toBeGreaterThan(small.mean);
    // Half-width of a 95% CI for a fair 0/100 coin: 1.96 · 50 / √n (≈15.5 at n=40, ≈1.55 at n=4000).
    expect((small.high - small.low) / 2).toBeGreaterThan(10);
    expect((small.high - small.low) / 2).toBeLessThan(21);
    expect((large.high - large.low) / 2).toBeGreaterThan(1.2);
    expect((large.high - large.low) / 2).toBeLessThan(1.9);
  });

  it('quantile interpolates linearly like numpy', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20, 30], 0.25)).toBe(15);
    expect(quantile([5], 0.975)).toBe(5);
  });

  it('empty samples give NaN, not a crash', () => {
    expect(bootstrapMean([]).n).toBe(0);
    expect(bootstrapMean([]).mean).toBeNaN();
  });

  it('paired bootstrap: a consistent one-point advantage is detected, identical runs are not', () => {
    const b = Array.from({ length: 200 }, (_, i) => (i * 53) % 100);
    const a = b.map((v) => v + 1);
    const better = pairedBootstrap(a, b);
    expect(better.better).toBe('a');
    expect(better.difference).toMatchObject({ mean: 1, low: 1, high: 1 });
    expect(better.p).toBeLessThan(0.01);
    const same = pairedBootstrap(b, b);
    expect(same.better).toBeNull();
    expect(same.p).toBe(1);
  });

  it('paired bootstrap sees through per-item difficulty that an unpaired test would drown in', () => {
    const random = createRandom(9).next;
    const difficulty = Array.from({ length: 100 }, () => random() * 100);
    const a = difficulty.map((d) => d + 2 + (random() - 0.5));
    const b = difficulty.map((d) => d + (random() - 0.5));
    expect(pairedBootstrap(a, b).better).toBe('a');
    expect(pairedBootstrap(b, a).better).toBe('b');
    // Unpaired, the two intervals overlap almost entirely.
    const ia = bootstrapMean(a);
    const ib = bootstrapMean(b);
    expect(ia.low).toBeLessThan(ib.high);
  });

  it('refuses runs over different items', () => {
    expect(() => pairedBootstrap([1, 2], [1])).toThrow('same items');
  });
});
