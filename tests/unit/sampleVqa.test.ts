import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSample } from '../../main/icc/generators';
import { SAMPLE_PER_CATEGORY, SAMPLE_SEED, SAMPLE_VQA_SEED, vqaLine } from '../../main/icc/sampleLayout';
import { sampleVqaQuestions } from '../../main/icc/sampleVqa';
import { extractAnswer } from '../../main/scaling/answers/extractAnswer';
import { matchAnswer } from '../../main/scaling/answers/matchAnswer';

const FILE = resolve('resources/sample/vqa-mini/questions.jsonl');

interface Line {
  uid: string;
  category: string;
  source: string;
  image: string;
  question: string;
  choices?: string[];
  answer: string;
  kind: 'choice' | 'number' | 'count' | 'text';
  derivation: string;
}

const lines = readFileSync(FILE, 'utf8')
  .trimEnd()
  .split('\n')
  .map((text) => JSON.parse(text) as Line);
const figures = generateSample(SAMPLE_SEED, SAMPLE_PER_CATEGORY);

/** What the solver's extracted answer is for a reply, as a study scores it. */
const scored = (reply: string, line: Line) =>
  matchAnswer(extractAnswer(reply).answer ?? '', { answer: line.answer, choices: line.choices ?? null });

/** A reply a solver might write for the gold answer, in words around it. */
function naturalReply(line: Line): string {
  switch (line.kind) {
    case 'choice':
      return `Looking at the description, the option that fits is the one listed.\nThe answer is (${line.answer}).`;
    case 'count':
      return `Counting them one by one in the description.\n\nAnswer: ${line.answer}`;
    case 'number':
      // Written with a trailing zero and a variable name, as models often do.
      return `From the given values the result follows.\nx = ${Number(line.answer).toFixed(Math.max(1, (line.answer.split('.')[1] ?? '').length + 1))}`;
    case 'text':
      return `**Final answer:** ${line.answer.toUpperCase()}.`;
  }
}

describe('the VQA mini benchmark (resources/sample/vqa-mini)', () => {
  it('is what scripts/build-vqa-sample.ts writes from the generator parameters (rebuilt, not hand-edited)', () => {
    const expected = sampleVqaQuestions(figures, SAMPLE_VQA_SEED).flatMap(({ figure, questions }) =>
      questions.map((q, i) => vqaLine(figure, q, i, `../stem2code-mini/images/${figure.uid}.png`)),
    );
    expect(lines).toEqual(expected);
  });

  it('asks 1–3 questions of each of the 48 figures, mixed kinds, in the figure categories', () => {
    const perFigure = new Map<string, number>();
    for (const line of lines) {
      const figure = line.uid.replace(/-q\d$/, '');
      perFigure.set(figure, (perFigure.get(figure) ?? 0) + 1);
    }
    expect([...perFigure.keys()].sort()).toEqual(figures.map((f) => f.uid).sort());
    for (const n of perFigure.values()) expect(n).toBeGreaterThanOrEqual(1);
    for (const n of perFigure.values()) expect(n).toBeLessThanOrEqual(3);
    expect(new Set(lines.map((l) => l.kind))).toEqual(new Set(['choice', 'number', 'count', 'text']));
    expect(new Set(lines.map((l) => l.category))).toEqual(
      new Set(['function_plot', 'geometry', 'chart', 'physics']),
    );
    expect(new Set(lines.map((l) => l.source))).toEqual(new Set(['vqa-mini']));
    expect(new Set(lines.map((l) => l.uid)).size).toBe(lines.length);
  });

  it('reuses the sample PNGs: every image path resolves to an existing file, and no PNG is in vqa-mini', () => {
    for (const line of lines) expect(existsSync(join(dirname(FILE), line.image))).toBe(true);
    expect(existsSync(join(dirname(FILE), 'images'))).toBe(false);
  });

  it('has well-formed choices: the gold letter names one of 3–5 distinct options', () => {
    for (const line of lines.filter((l) => l.kind === 'choice')) {
      const choices = line.choices!;
      expect(new Set(choices).size).toBe(choices.length);
      expect(choices.length).toBeGreaterThanOrEqual(3);
      expect('ABCDE'.slice(0, choices.length)).toContain(line.answer);
    }
    for (const line of lines.filter((l) => l.kind !== 'choice')) expect(line.choices).toBeUndefined();
  });

  it.each(lines.map((line) => [line.uid, line] as const))(
    '%s: matchAnswer accepts the gold against itself and a natural reply, and refuses a wrong one',
    (_, line) => {
      expect(scored(line.answer, line).correct).toBe(true);
      expect(scored(naturalReply(line), line).correct).toBe(true);
      const wrong =
        line.kind === 'choice'
          ? `The answer is (${'ABCDE'.split('').find((l) => l !== line.answer)})`
          : line.kind === 'text'
            ? 'Answer: none of these'
            : `Answer: ${Number(line.answer) + 7}`;
      expect(scored(wrong, line).correct).toBe(false);
    },
  );

  it('derives the answers from the parameters the caption also states (spot checks against the caption)', () => {
    // Counts of curves, bars and resistors are written in the figure's caption by the generator.
    const byUid = new Map(figures.map((f) => [f.uid, f]));
    const checked = lines.filter((l) =>
      ['params.curves.length', 'params.resistances.length', 'params.radius'].includes(l.derivation),
    );
    expect(checked.length).toBeGreaterThan(0);
    for (const line of checked) {
      const caption = byUid.get(line.uid.replace(/-q\d$/, ''))!.caption;
      const stated =
        line.derivation === 'params.curves.length'
          ? /with (\d+) curves?/.exec(caption)?.[1]
          : line.derivation === 'params.radius'
            ? /with radius (\d+)/.exec(caption)?.[1]
            : String((caption.match(/R\d = /g) ?? []).length);
      expect(stated).toBe(line.answer);
    }
  });
});
