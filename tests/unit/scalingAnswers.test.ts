import { describe, expect, it } from 'vitest';
import { extractAnswer, type AnswerRule } from '../../main/scaling/answers/extractAnswer';
import { matchAnswer, type AnswerKind } from '../../main/scaling/answers/matchAnswer';
import { parseNumber } from '../../main/scaling/answers/parseNumber';

// Each row: a reply as models write it, and the answer and rule a person reads from it.
const extractionCases: [string, string, string | null, AnswerRule][] = [
  ['plain boxed', 'So the area is \\boxed{12}.', '12', 'boxed'],
  ['nested braces in boxed', 'Thus \\boxed{\\frac{3}{4}}', '\\frac{3}{4}', 'boxed'],
  ['last of several boxed', 'First \\boxed{5}, but correcting: \\boxed{7}', '7', 'boxed'],
  ['deeply nested boxed', '$\\boxed{\\sqrt{\\frac{1}{2}}}$', '\\sqrt{\\frac{1}{2}}', 'boxed'],
  ['boxed letter with text', '\\boxed{B}', 'B', 'boxed'],
  ['fbox', 'answer \\fbox{42}', '42', 'boxed'],
  ['boxed inside reasoning ignored', '<think>maybe \\boxed{3}</think>\nThe answer is 4.', '4', 'marker'],
  ['reasoning then boxed', '<think>compute 2+2</think>\n\\boxed{4}', '4', 'boxed'],
  ['several think blocks', '<think>a</think>x<think>b</think>Answer: C', 'C', 'marker'],
  ['unclosed think has no answer', '<think>still thinking about 17', null, 'none'],
  ['the answer is', 'Therefore, the answer is 15.', '15', 'marker'],
  ['the answer is with colon', 'The answer is: (B)', '(B)', 'marker'],
  ['Answer: uppercase', 'Some work.\nANSWER: 3/4', '3/4', 'marker'],
  ['final answer', 'Final answer: 2.5 cm', '2.5 cm', 'marker'],
  ['bold marker', '**Final Answer:** **C**', 'C', 'marker'],
  ['bold marker with colon inside', '**Answer:** $\\frac{1}{2}$', '\\frac{1}{2}', 'marker'],
  ['marker value on next line', 'Final answer:\n\n  42\n', '42', 'marker'],
  ['last marker wins', 'Answer: 3\nWait, recheck.\nAnswer: 5', '5', 'marker'],
  ['first sentence after marker', 'The answer is B. Because the angle is 30.', 'B', 'marker'],
  ['decimal kept after marker', 'The answer is 3.75.', '3.75', 'marker'],
  ['full-width colon', '答案 Answer：D', 'D', 'marker'],
  ['no marker: short last line', 'The triangle is isosceles.\n60°', '60°', 'last-line'],
  ['no marker: last line with math', 'Let us compute.\n$x = 7$', 'x = 7', 'last-line'],
  [
    'no marker: long last line takes last number',
    'Adding the two sides of the rectangle and doubling gives a perimeter of 24 units overall here',
    '24',
    'last-number',
  ],
  ['word "answer" without marker', 'To answer this we count.\n9', '9', 'last-line'],
  ['empty reply', '   \n ', null, 'none'],
  ['inline math delimiters', 'Answer: \\(2\\sqrt{3}\\)', '2\\sqrt{3}', 'marker'],
];

describe('extractAnswer', () => {
  it.each(extractionCases)('%s', (_name, reply, answer, rule) => {
    expect(extractAnswer(reply)).toEqual({ answer, rule });
  });
});

const abcd = ['3', '5', '7', '9'];
const shapes = ['Circle', 'Square', 'Triangle', 'Hexagon'];

// Each row: prediction (already extracted), gold answer and choices, then correct and kind.
const matchCases: [string, string, string, string[] | null, boolean, AnswerKind][] = [
  // multiple choice by letter
  ['bare letter', 'C', 'C', abcd, true, 'choice'],
  ['letter in parentheses', '(C)', 'C', abcd, true, 'choice'],
  ['letter with period', 'C.', 'C', abcd, true, 'choice'],
  ['lowercase letter', 'c', 'C', abcd, true, 'choice'],
  ['option C', 'option C', 'C', abcd, true, 'choice'],
  ['letter then option text', 'C) 7', 'C', abcd, true, 'choice'],
  ['parenthesised letter then text', '(C) 7', 'C', abcd, true, 'choice'],
  ['gold in parentheses', 'C', '(C)', abcd, true, 'choice'],
  ['wrong letter', 'B', 'C', abcd, false, 'choice'],
  ['wrong letter although text of C mentioned', 'B. 5, not 7', 'C', abcd, false, 'choice'],
  ['letter past the options', 'E', 'C', abcd, false, 'choice'],
  ['option text instead of letter', '7', 'C', abcd, true, 'choice'],
  ['option text as a different number form', '7.0', 'C', abcd, true, 'choice'],
  ['option text of a wrong option', '5', 'C', abcd, false, 'choice'],
  ['option text, case and punctuation', 'triangle.', 'C', shapes, true, 'choice'],
  ['gold given as option text, prediction letter', 'C', 'Triangle', shapes, true, 'choice'],
  ['gold as option text, wrong letter', 'D', 'Triangle', shapes, false, 'choice'],
  ['choices carry their letters', '(B)', 'B', ['A. 10', 'B. 20', 'C. 30'], true, 'choice'],
  ['choices carry letters, text predicted', '20', 'B', ['A. 10', 'B. 20', 'C. 30'], true, 'choice'],
  ['text that is in no option', 'Pentagon', 'C', shapes, false, 'choice'],
  ['a sentence is not the letter A', 'A triangle', 'A', shapes, false, 'choice'],
  ['lone letter gold without choices', '(B)', 'B', null, true, 'choice'],
  ['lone letter gold without choices, wrong', 'D', 'B', null, false, 'choice'],
  ['empty prediction', '', 'C', abcd, false, 'choice'],
  // numbers
  ['integer equal', '12', '12', null, true, 'number'],
  ['integer with trailing .0', '12.0', '12', null, true, 'number'],
  ['integer gold is exact', '12.1', '12', null, false, 'number'],
  ['0.5 vs 5', '0.5', '5', null, false, 'number'],
  ['5 vs 0.5', '5', '0.5', null, false, 'number'],
  ['leading-dot decimal', '.5', '0.5', null, true, 'number'],
  ['thousands separator', '1,234', '1234', null, true, 'number'],
  ['thousands separator with decimals', '12,345.6', '12345.6', null, true, 'number'],
  ['unit cm', '12 cm', '12', null, true, 'number'],
  ['unit squared', '25 cm^2', '25', null, true, 'number'],
  ['unit m/s', '3.5 m/s', '3.5', null, true, 'number'],
  ['degree sign', '60°', '60', null, true, 'number'],
  ['latex degrees', '60^\\circ', '60', null, true, 'number'],
  ['latex degrees in braces', '60^{\\circ}', '60', null, true, 'number'],
  ['word degrees', '45 degrees', '45', null, true, 'number'],
  ['percent', '25%', '25', null, true, 'number'],
  ['latex percent', '25\\%', '25', null, true, 'number'],
  ['fraction vs decimal', '3/4', '0.75', null, true, 'number'],
  ['decimal vs fraction gold', '0.75', '3/4', null, true, 'number'],
  ['latex frac', '\\frac{3}{4}', '0.75', null, true, 'number'],
  ['latex dfrac', '\\dfrac{3}{4}', '0.75', null, true, 'number'],
  ['wrong fraction', '4/3', '0.75', null, false, 'number'],
  ['sqrt vs rounded gold', '\\sqrt{2}', '1.41', null, true, 'number'],
  ['coefficient sqrt', '2\\sqrt{3}', '3.46', null, true, 'number'],
  ['cube root', '\\sqrt[3]{8}', '2', null, true, 'number'],
  ['pi multiple', '2\\pi', '6.28', null, true, 'number'],
  ['pi fraction', '\\frac{\\pi}{2}', '1.57', null, true, 'number'],
  ['unicode pi', '3π', '9.42', null, true, 'number'],
  ['negative', '-3', '-3', null, true, 'number'],
  ['unicode minus', '−3', '-3', null, true, 'number'],
  ['sign matters', '3', '-3', null, false, 'number'],
  ['scientific e', '1.5e-3', '0.0015', null, true, 'number'],
  ['scientific times ten', '1.5 \\times 10^{-3}', '0.0015', null, true, 'number'],
  ['within 1% tolerance', '2.52', '2.5', null, true, 'number'],
  ['just inside tolerance', '100.9', '100.5', null, true, 'number'],
  ['just outside tolerance', '101.6', '100.5', null, false, 'number'],
  ['outside tolerance', '2.6', '2.5', null, false, 'number'],
  ['assignment', 'x = 7.5', '7.5', null, true, 'number'],
  ['approximately', 'AB \\approx 4.24', '4.24', null, true, 'number'],
  ['dollars in math', '$12.50$', '12.5', null, true, 'number'],
  ['sentence: last number', 'about 8 apples in 2 rows of 4.5', '4.5', null, true, 'number'],
  ['not a number at all', 'cannot be determined', '4', null, false, 'number'],
  ['gold with unit', '7', '7 cm', null, true, 'number'],
  // free-form text
  ['yes with period', 'Yes.', 'yes', null, true, 'text'],
  ['no vs yes', 'No', 'yes', null, false, 'text'],
  ['case and article', 'the Isosceles Triangle', 'isosceles triangle', null, true, 'text'],
  ['whitespace and punctuation', '  right-angled ', 'right angled', null, true, 'text'],
  ['different word', 'acute', 'obtuse', null, false, 'text'],
  ['latex text wrapper', '\\text{parallel}', 'parallel', null, true, 'text'],
  ['empty gold never matches', '', '', null, false, 'text'],
];

describe('matchAnswer', () => {
  it.each(matchCases)('%s', (_name, prediction, answer, choices, correct, kind) => {
    const match = matchAnswer(prediction, { answer, choices });
    expect({ correct: match.correct, kind: match.kind }).toEqual({ correct, kind });
  });

  it('reports the normalised forms it compared', () => {
    expect(matchAnswer('(c)', { answer: '7', choices: abcd })).toEqual({
      correct: true,
      normalizedPrediction: 'C',
      normalizedGold: 'C',
      kind: 'choice',
    });
    expect(matchAnswer('\\frac{1}{4}', { answer: '0.25', choices: null })).toEqual({
      correct: true,
      normalizedPrediction: '0.25',
      normalizedGold: '0.25',
      kind: 'number',
    });
    expect(matchAnswer('The Circle!', { answer: 'circle', choices: null }).normalizedPrediction).toBe(
      'circle',
    );
  });

  it('grades whole messy replies (extraction then matching)', () => {
    const grade = (reply: string, answer: string, choices: string[] | null) =>
      matchAnswer(extractAnswer(reply).answer ?? '', { answer, choices }).correct;
    expect(grade('<think>is it \\boxed{B}?</think>\n**Answer:** (C) 7', 'C', abcd)).toBe(true);
    expect(grade('I first thought \\boxed{0.5} but it is \\boxed{\\dfrac{1}{2}}', '0.5', null)).toBe(true);
    expect(grade('The answer is 5 cm.', '0.5', null)).toBe(false);
    expect(grade('<think>long</think>', '4', null)).toBe(false);
  });
});

describe('parseNumber', () => {
  it.each([
    ['1,000', 1000, true],
    ['-2.5', -2.5, false],
    ['\\frac{1}{3}', 1 / 3, false],
    ['2^{10}', 1024, false],
  ] as const)('%s', (text, value, integer) => {
    const parsed = parseNumber(text);
    expect(parsed?.value).toBeCloseTo(value, 12);
    expect(parsed?.integer).toBe(integer);
  });

  it.each(['', 'abc', 'x + y', '3 4', '12 + ', '\\frac{1}'])('%s is not a number', (text) => {
    expect(parseNumber(text)).toBeNull();
  });
});
