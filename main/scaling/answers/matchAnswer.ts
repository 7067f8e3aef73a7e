/**
 * Whether an extracted answer matches a VQA item's gold answer. The kind follows the gold:
 *  - `choice` — the item has options, or the gold is a lone letter ("B", "(B)"). The gold resolves to an option
 *    (its letter, or the option whose text equals it); the prediction resolves to a letter ("B", "(B)", "B.",
 *    "B) 12", "option B") or, failing that, to the one option whose text equals it (normalised as text, or
 *    equal as numbers). A gold that names no option is matched as a number or text instead.
 *  - `number` — the gold parses as a number (see parseNumber). A gold written as a plain integer must be met
 *    exactly (counts are not approximate); any other gold within 1e-2 relative or 1e-6 absolute, so
 *    `1.73` accepts `\sqrt{3}` and `3.14` accepts `\pi`. A prediction that is not a number as a whole is
 *    read from its last number.
 *  - `text` — case, accents, whitespace, punctuation and a leading article are ignored.
 */
import { formatNumber, parseNumber } from './parseNumber';

export type AnswerKind = 'choice' | 'number' | 'text';

export interface GoldAnswer {
  answer: string;
  choices: string[] | null;
}

export interface AnswerMatch {
  correct: boolean;
  normalizedPrediction: string;
  normalizedGold: string;
  kind: AnswerKind;
}

export const RELATIVE_TOLERANCE = 1e-2;
export const ABSOLUTE_TOLERANCE = 1e-6;

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Lowercase letters and digits separated by single spaces; LaTeX text wrappers and a leading article go. */
export function normalizeText(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/\\(?:text|mathrm|textbf|mbox)\s*\{([^{}]*)\}/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^(?:the|a|an) (?=\S)/, '');
}

/** The letter a prediction names, if it names one: the whole answer, or a letter prefix before option text. */
function letterOf(value: string, optionCount: number): string | null {
  const text = value.trim();
  const forms = [
    /^(?:option|choice)?\s*\(?([A-Za-z])\)?\s*[.:]?$/i,
    /^(?:option|choice)\s*\(?([A-Za-z])\b/i,
    /^\(([A-Za-z])\)/,
    /^([A-Z])\s*[.:)]\s/,
  ];
  for (const form of forms) {
    const m = form.exec(text);
    if (!m) continue;
    const letter = m[1]!.toUpperCase();
    if (LETTERS.indexOf(letter) < optionCount) return letter;
  }
  return null;
}

/** An option's own text: "A. 12" and "(A) 12" in the choices list are "12" when the prefix is its letter. */
function optionText(choice: string, index: number): string {
  const m = /^\(?([A-Z])\)?\s*[.:)]?\s+(.*)$/s.exec(choice.trim());
  return m && m[1] === LETTERS[index] ? m[2]! : choice;
}

/** The letter of the one option equal to the text, by text or, both being numbers, by value. */
function letterByText(value: string, choices: string[]): string | null {
  const wanted = normalizeText(value);
  const number = parseNumber(value);
  const hits = choices
    .map((choice, index) => ({ text: optionText(choice, index), index }))
    .filter(({ text }) => {
      if (normalizeText(text) === wanted && wanted !== '') return true;
      const option = parseNumber(text);
      return (
        number !== null && option !== null && Math.abs(option.value - number.value) <= ABSOLUTE_TOLERANCE
      );
    });
  return hits.length === 1 ? LETTERS[hits[0]!.index]! : null;
}

function matchChoice(prediction: string, gold: GoldAnswer): AnswerMatch | null {
  const choices = gold.choices ?? [];
  const optionCount = choices.length > 0 ? choices.length : LETTERS.length;
  const goldLetter = letterOf(gold.answer, optionCount) ?? letterByText(gold.answer, choices);
  if (!goldLetter) return null;
  const predicted = letterOf(prediction, optionCount) ?? letterByText(prediction, choices) ?? '';
  return {
    correct: predicted === goldLetter,
    normalizedPrediction: predicted,
    normalizedGold: goldLetter,
    kind: 'choice',
  };
}

const LAST_NUMBER = /-?(?:\d{1,3}(?:,\d{3})+|\d+)?\.?\d+(?:e[+-]?\d+)?(?:\/\d+)?/gi;

function matchNumber(prediction: string, gold: GoldAnswer, relativeTolerance: number): AnswerMatch | null {
  const target = parseNumber(gold.answer);
  if (!target) return null;
  const lastNumber = [...prediction.matchAll(LAST_NUMBER)].at(-1);
  const predicted = parseNumber(prediction) ?? (lastNumber ? parseNumber(lastNumber[0]) : null);
  const tolerance = target.integer
    ? ABSOLUTE_TOLERANCE
    : Math.max(ABSOLUTE_TOLERANCE, relativeTolerance * Math.abs(target.value));
  return {
    correct: predicted !== null && Math.abs(predicted.value - target.value) <= tolerance,
    normalizedPrediction: predicted ? formatNumber(predicted.value) : '',
    normalizedGold: formatNumber(target.value),
    kind: 'number',
  };
}

export interface MatchOptions {
  /** Relative tolerance for non-integer numeric golds (default RELATIVE_TOLERANCE, 1e-2). */
  relativeTolerance?: number;
}

export function matchAnswer(prediction: string, gold: GoldAnswer, options: MatchOptions = {}): AnswerMatch {
  const isChoice = (gold.choices?.length ?? 0) > 0 || /^\(?[A-Z]\)?\.?$/.test(gold.answer.trim());
  const asChoice = isChoice ? matchChoice(prediction, gold) : null;
  if (asChoice) return asChoice;
  const asNumber = matchNumber(prediction, gold, options.relativeTolerance ?? RELATIVE_TOLERANCE);
  if (asNumber) return asNumber;
  const normalizedPrediction = normalizeText(prediction);
  const normalizedGold = normalizeText(gold.answer);
  return {
    correct: normalizedGold !== '' && normalizedPrediction === normalizedGold,
    normalizedPrediction,
    normalizedGold,
    kind: 'text',
  };
}
