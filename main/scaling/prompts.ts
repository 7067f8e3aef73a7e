import type { ChatMessage } from '../api/models';
import type { CaptionVariant } from '../api/scaling';

/**
 * The study's prompts. PROMPT_VERSION goes into every caption cache key: changing any text here must bump it,
 * so captions written for an older prompt are never served for the new one.
 *
 * The captioner never sees the question: perception is measured independently of what will be asked, and one
 * caption serves every question about the same image. The solver sees the question, the options and the
 * description only (no image), and ends with `Answer: …`, the marker rule of extractAnswer.
 */
export const PROMPT_VERSION = 1;

export const CAPTION_PROMPT = [
  'Describe this STEM figure in complete detail, so that someone who cannot see it could answer any question about it.',
  'Transcribe all text exactly: titles, axis labels, tick values, legends, annotations, numbers and units.',
  'Give every geometric element and its measurements (points, lengths, angles, shapes, coordinates), every plotted',
  'series with its values or trend, every table cell, and how the elements relate (positions, connections, order).',
  'Do not solve anything and do not guess what might be asked: only describe what is shown.',
].join(' ');

export const CODE_PROMPT = [
  'Write Python matplotlib code that reproduces this STEM figure as exactly as possible:',
  'every element, label, number, text, color and relative position.',
  'Do not solve anything. Reply with the code in one ```python block.',
].join(' ');

/** The captioner's instruction for a variant (the text that is hashed into the cache key). */
export function captionPromptText(variant: CaptionVariant): string {
  return variant === 'code' ? CODE_PROMPT : CAPTION_PROMPT;
}

export function captionMessages(variant: CaptionVariant, imagePath: string): ChatMessage[] {
  return [
    {
      role: 'user',
      content: [
        { type: 'image', image: imagePath },
        { type: 'text', text: captionPromptText(variant) },
      ],
    },
  ];
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The question with its options lettered, as both the solver and the direct baseline read it. */
export function questionBlock(question: string, choices: readonly string[] | null): string {
  if (!choices || choices.length === 0) return `Question: ${question}`;
  const options = choices.map((c, i) => `${LETTERS[i] ?? String(i + 1)}. ${c}`).join('\n');
  return `Question: ${question}\nOptions:\n${options}`;
}

/** The fixed last line every answer must end with (extractAnswer's marker rule reads it). */
export function answerFormat(choices: readonly string[] | null): string {
  return choices && choices.length > 0
    ? 'End your reply with a last line of the form "Answer: X", where X is the letter of the correct option.'
    : 'End your reply with a last line of the form "Answer: X", where X is the final answer alone (a number, with no units, or a short phrase).';
}

export function solverMessages(
  variant: CaptionVariant,
  description: string,
  question: string,
  choices: readonly string[] | null,
): ChatMessage[] {
  const what =
    variant === 'code'
      ? 'You cannot see the figure. Here is matplotlib code that draws it:'
      : 'You cannot see the figure. Here is a detailed description of it:';
  const fence = variant === 'code' ? '```python\n' : '';
  const close = variant === 'code' ? '\n```' : '';
  return [
    {
      role: 'user',
      content: [
        what,
        `${fence}${description}${close}`,
        questionBlock(question, choices),
        `Reason step by step from the ${variant === 'code' ? 'code' : 'description'}. ${answerFormat(choices)}`,
      ].join('\n\n'),
    },
  ];
}

export function directMessages(
  imagePath: string,
  question: string,
  choices: readonly string[] | null,
): ChatMessage[] {
  return [
    {
      role: 'user',
      content: [
        { type: 'image', image: imagePath },
        {
          type: 'text',
          text: `${questionBlock(question, choices)}\n\nReason step by step from the figure. ${answerFormat(choices)}`,
        },
      ],
    },
  ];
}
