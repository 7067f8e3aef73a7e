import type { GeneratedFigure } from './generators';
import type { VqaQuestion } from './sampleVqa';

/** The bundled sample: fixed so `npm run sample:build` reproduces resources/sample byte for byte in code and captions. */
export const SAMPLE_SEED = 20260310;
export const SAMPLE_PER_CATEGORY = 12;
/** Canonical render size of the sample images: small PNGs, the size the render tests use. */
export const SAMPLE_RENDER = { mode: 'canonical', width: 640, height: 480, dpi: 80 } as const;

/** The STEM2Code-Eval generation prompt (stem2code-protocol.md, "Generation"). */
export const STEM2CODE_SYSTEM_PROMPT = 'You are an useful assistant.';
export const STEM2CODE_USER_PROMPT =
  'You are an expert Python developer who specializes in writing matplotlib code based on a given picture. ' +
  'Now, please give me the matplotlib code that reproduces the picture below.';

interface TextPart {
  type: 'text';
  text: string;
}
interface ImagePart {
  type: 'image';
  image: string;
}
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: (TextPart | ImagePart)[];
}

/**
 * One line of the official STEM2Code-Eval JSONL: messages[1].content[0].image is the image and
 * messages[3].content[0].text the reference code. messages[2] holds the code-grounded caption, the
 * perception step CodePercept trains before the code. A top-level `category` (which readers of the official
 * layout ignore) lets reports break results down by category.
 */
export function stem2codeLine(
  figure: GeneratedFigure,
  imagePath: string,
): { messages: ChatMessage[]; category: string } {
  return {
    messages: [
      { role: 'system', content: [{ type: 'text', text: STEM2CODE_SYSTEM_PROMPT }] },
      {
        role: 'user',
        content: [
          { type: 'image', image: imagePath },
          { type: 'text', text: STEM2CODE_USER_PROMPT },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: figure.caption }] },
      { role: 'assistant', content: [{ type: 'text', text: figure.code }] },
    ],
    category: figure.category,
  };
}

/** One line of the generic image–caption–code JSONL (image path relative to the JSONL file). */
export function iccLine(
  figure: GeneratedFigure,
  imagePath: string,
): { uid: string; category: string; image: string; caption: string; code: string } {
  return {
    uid: figure.uid,
    category: figure.category,
    image: imagePath,
    caption: figure.caption,
    code: figure.code,
  };
}

/** The VQA mini benchmark's seed: its own stream, so the questions never change the figures. */
export const SAMPLE_VQA_SEED = SAMPLE_SEED + 1;
/** The `source` (benchmark) every VQA sample question carries. */
export const SAMPLE_VQA_SOURCE = 'vqa-mini';

/**
 * One line of the VQA importer's JSONL (question, answer, choices, image, category, source); `kind` and
 * `derivation` are kept as item metadata so a reader can check each gold answer against the figure's code.
 */
export function vqaLine(
  figure: GeneratedFigure,
  question: VqaQuestion,
  index: number,
  imagePath: string,
): {
  uid: string;
  category: string;
  source: string;
  image: string;
  question: string;
  choices?: string[];
  answer: string;
  kind: string;
  derivation: string;
} {
  return {
    uid: `${figure.uid}-q${index + 1}`,
    category: figure.category,
    source: SAMPLE_VQA_SOURCE,
    image: imagePath,
    question: question.question,
    ...(question.choices ? { choices: question.choices } : {}),
    answer: question.answer,
    kind: question.kind,
    derivation: question.derivation,
  };
}
