import type { Judgment } from '../../api/eval';
import { ApiError } from '../../api/errors';
import type { ChatMessage } from '../../api/models';
import type { ChatModel } from '../../models/chatEngine';
import { GENERATION_USER_PROMPT } from '../protocol/prompts';
import { SCORE_INSTRUCTION, rubricText, runJudge } from './judgeRunner';
import type { JudgeOptions, RubricItem } from './judgeRunner';

/** The Image Score rubric of STEM2Code-Eval (weights from the protocol; the wording is ours). */
export const IMAGE_RUBRIC: readonly RubricItem[] = [
  {
    name: 'Geometric & structural completeness',
    points: 30,
    asks: 'every shape, curve, axis, bar, point and structural element of the reference is present, none missing and none invented.',
  },
  {
    name: 'Positional & relational accuracy',
    points: 30,
    asks: 'elements sit where they sit in the reference, with the same proportions, intersections, alignments and relative placement.',
  },
  {
    name: 'Text & annotation fidelity',
    points: 10,
    asks: 'labels, titles, tick labels, legends, formulas and annotations carry the same content at the same places.',
  },
  {
    name: 'Visual & stylistic consistency',
    points: 20,
    asks: 'colours, line styles and widths, markers, fills and overall look match the reference.',
  },
  {
    name: 'Clarity & legibility',
    points: 10,
    asks: 'the rendered figure is clean and readable: no overlapping text, clipping or rendering artefacts.',
  },
];

const IMAGE_JUDGE_SYSTEM =
  'You are a strict, impartial judge of scientific figures. You compare a figure reproduced from code with the original it was meant to reproduce.';

/**
 * The judge's messages: the task the model under test was given, the reference image, then the rendered
 * image (in that order), the rubric, and the score line to end with.
 */
export function imageJudgeMessages(input: { referenceImage: string; candidateImage: string }): ChatMessage[] {
  return [
    { role: 'system', content: IMAGE_JUDGE_SYSTEM },
    {
      role: 'user',
      content: [
        {
          type: 'text',
          text: `A model was given this task:\n"${GENERATION_USER_PROMPT}"\n\nIts code was run. Judge how faithfully the rendered figure reproduces the reference figure.\n\nFirst image — the reference figure:`,
        },
        { type: 'image', image: input.referenceImage },
        { type: 'text', text: 'Second image — the figure rendered from the generated code:' },
        { type: 'image', image: input.candidateImage },
        {
          type: 'text',
          text: `Score the second image against the first with this rubric (100 points in total):\n${rubricText(IMAGE_RUBRIC)}\n\nFor each item say briefly what matches and what differs, and give its points. ${SCORE_INSTRUCTION}`,
        },
      ],
    },
  ];
}

/**
 * The Image Score of one item: a multimodal judge compares the rendered image with the reference. Images are
 * absolute paths or data URLs. The caller scores 0 without asking when execution failed.
 */
export function judgeImage(
  model: ChatModel,
  input: { referenceImage: string; candidateImage: string },
  options: JudgeOptions,
): Promise<Judgment> {
  if (!model.vision)
    return Promise.reject(
      new ApiError({
        code: 'INVALID_PARAMS',
        message: `${model.describe().name} takes no images, so it cannot be the image judge.`,
        hint: 'Pick a vision model (a GGUF with its mmproj, or a vision endpoint) as the image judge.',
      }),
    );
  return runJudge(model, imageJudgeMessages(input), options);
}
