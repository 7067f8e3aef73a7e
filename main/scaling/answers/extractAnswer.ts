/**
 * The final answer in a solver's reply, by fixed rules tried in order (the first that finds something wins):
 *  1. reasoning is dropped: only the text after the last `</think>` counts (an unclosed `<think>` leaves none);
 *  2. `boxed` — the content of the last `\boxed{…}` (or `\fbox{…}`), nested braces balanced;
 *  3. `marker` — the rest of the line after the last "Final answer:", "The answer is …" or "Answer: …"
 *     (any case, markdown emphasis around the marker allowed); when that line is empty, the next non-empty line;
 *  4. `last-line` — the last non-empty line, when it is short (at most 8 words);
 *  5. `last-number` — else the last number in that line (a long closing sentence usually ends on the result);
 *  6. `last-line` — else the last non-empty line as it is;
 *  7. `none` — nothing left (empty reply, or reasoning cut off by the token limit).
 * Every value is cleaned the same way: surrounding `$`, `\(…\)`, markdown emphasis and a trailing period go.
 */
import { stripReasoning } from '../../eval/protocol/extractCode';

export type AnswerRule = 'boxed' | 'marker' | 'last-line' | 'last-number' | 'none';

export interface ExtractedAnswer {
  /** The answer text, or null when the reply holds none. */
  answer: string | null;
  /** Which rule found it. */
  rule: AnswerRule;
}

const BOX_OPENERS = /\\(?:boxed|fbox)\s*\{/g;

/** Content of the last `\boxed{…}` with balanced braces; an unclosed last box runs to the end of the text. */
function lastBoxed(text: string): string | null {
  const starts = [...text.matchAll(BOX_OPENERS)];
  const last = starts.at(-1);
  if (!last) return null;
  let depth = 1;
  const from = last.index + last[0].length;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(from, i);
  }
  return text.slice(from);
}

const MARKS = '[*_`]*';
// "final answer" / "answer", then "is" and/or a colon (ASCII or full-width); bare "answer" needs one of them.
const MARKER = new RegExp(
  `\\b(?:final\\s+)?answer${MARKS}\\s*(?:is\\b\\s*${MARKS}\\s*[:：]?|[:：])${MARKS}`,
  'gi',
);

function afterLastMarker(text: string): string | null {
  const last = [...text.matchAll(MARKER)].at(-1);
  if (!last) return null;
  const rest = text.slice(last.index + last[0].length);
  const lines = rest.split('\n').map(cleanAnswer);
  const value = lines.find((line) => line !== '');
  if (value === undefined) return null;
  // "The answer is B. Because …": keep the first sentence (a decimal point is never followed by a space).
  return cleanAnswer(value.split(/\.\s+(?=\S)/)[0]!);
}

const NUMBER = /-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\/\d+)?/g;

/** Strips the wrapping models put around an answer: math delimiters, emphasis, a trailing period. */
export function cleanAnswer(value: string): string {
  let out = value.trim();
  for (let previous = ''; previous !== out;) {
    previous = out;
    out = out
      .replace(/^[*_`#>\s]+|[*_`\s]+$/g, '')
      .replace(/^\$+([^$]*)\$+$/, '$1')
      .replace(/^\\\((.*)\\\)$/s, '$1')
      .replace(/^\\\[(.*)\\\]$/s, '$1')
      .replace(/(?<!\.)\.$/, '')
      .trim();
  }
  return out;
}

export function extractAnswer(response: string): ExtractedAnswer {
  const text = stripReasoning(response);
  const boxed = lastBoxed(text);
  if (boxed !== null && cleanAnswer(boxed) !== '') return { answer: cleanAnswer(boxed), rule: 'boxed' };
  const marked = afterLastMarker(text);
  if (marked) return { answer: marked, rule: 'marker' };
  const lastLine = text
    .split('\n')
    .map(cleanAnswer)
    .filter((line) => line !== '')
    .at(-1);
  if (lastLine === undefined) return { answer: null, rule: 'none' };
  if (lastLine.split(/\s+/).length <= 8) return { answer: lastLine, rule: 'last-line' };
  const lastNumber = [...lastLine.matchAll(NUMBER)].at(-1);
  if (lastNumber) return { answer: lastNumber[0], rule: 'last-number' };
  return { answer: lastLine, rule: 'last-line' };
}
