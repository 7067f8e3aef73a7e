import type { Judgment } from '../../api/eval';
import type { ChatMessage } from '../../api/models';
import type { ChatModel } from '../../models/chatEngine';
import { SCORE_INSTRUCTION, rubricText, runJudge } from './judgeRunner';
import type { JudgeOptions, RubricItem } from './judgeRunner';

/** The Code Score rubric of STEM2Code-Eval (weights from the protocol; the wording is ours). */
export const CODE_RUBRIC: readonly RubricItem[] = [
  {
    name: 'Overall layout & visual attributes',
    points: 20,
    asks: 'figure size, subplot arrangement, colours, line styles, markers and fonts that the code sets agree.',
  },
  {
    name: 'Quantitative fidelity',
    points: 20,
    asks: 'the data, function definitions, constants, ranges, sample points and axis limits give the same numbers.',
  },
  {
    name: 'Positioning & layout',
    points: 30,
    asks: 'every element (shapes, points, text, annotations, legends, ticks) is placed at the same coordinates.',
  },
  {
    name: 'Relationships & stacking',
    points: 20,
    asks: 'elements relate to each other the same way: intersections, tangencies, containment, drawing order and z-order.',
  },
  {
    name: 'Code quality',
    points: 10,
    asks: 'the generated code is complete, runs as written and draws the figure without needless or broken parts.',
  },
];

const CODE_JUDGE_SYSTEM =
  'You are a strict, impartial judge of matplotlib code. You decide whether two programs draw the same figure.';

function fenced(code: string): string {
  // A longer fence than any run of backticks inside, so the code cannot close its own block.
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}python\n${code}\n${fence}`;
}

/** The judge's message: the reference code, then the generated code, the rubric, and the score line. */
export function codeJudgeMessages(input: { referenceCode: string; candidateCode: string }): ChatMessage[] {
  return [
    { role: 'system', content: CODE_JUDGE_SYSTEM },
    {
      role: 'user',
      content: `A model was asked to write matplotlib code reproducing a figure. Below are the reference code that draws the figure and the code the model generated. Judge whether both would draw the same figure. Differences in implementation (variable names, structure, helper functions, equivalent API calls) do not matter; only the drawn result does.\n\nReference code:\n${fenced(input.referenceCode)}\n\nGenerated code:\n${fenced(input.candidateCode)}\n\nScore the generated code against the reference with this rubric (100 points in total):\n${rubricText(CODE_RUBRIC)}\n\nFor each item say briefly what matches and what differs, and give its points. ${SCORE_INSTRUCTION}`,
    },
  ];
}

/** The Code Score of one item: a text judge compares the generated code with the reference code. */
export function judgeCode(
  model: ChatModel,
  input: { referenceCode: string; candidateCode: string },
  options: JudgeOptions,
): Promise<Judgment> {
  return runJudge(model, codeJudgeMessages(input), options);
}
