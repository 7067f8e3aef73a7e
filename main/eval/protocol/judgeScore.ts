/**
 * Reads a judge's score (0–100) by the STEM2Code-Eval rule: the first `Score: N/100`, tolerating markdown
 * emphasis (`*`, `_`, `` ` ``) around its parts and any case; otherwise the last integer not followed by
 * `/`; otherwise no score (a judge failure, retried and then reported — never counted as 0 silently).
 */
export interface ParsedScore {
  score: number | null;
  rule: 'score-line' | 'last-integer' | 'none';
}

const MARKS = '[*_`]*';
// "Score", optional marks, ":" (ASCII or full-width), marks, the number, marks, "/", marks, "100".
const SCORE_LINE = new RegExp(
  `score${MARKS}\\s*[:：]\\s*${MARKS}\\s*(\\d+(?:\\.\\d+)?)\\s*${MARKS}\\s*/\\s*${MARKS}\\s*100(?!\\d)`,
  'i',
);

export function parseJudgeScore(reply: string): ParsedScore {
  const line = SCORE_LINE.exec(reply);
  if (line) {
    const value = Number(line[1]);
    if (value >= 0 && value <= 100) return { score: value, rule: 'score-line' };
  }
  // Integers only (a "7.5" contributes neither 7 nor 5), and not a numerator like the 8 in "8/10".
  const last = [...reply.matchAll(/(?<![\d.])(\d+)(?!\d|\.\d|\s*\/)/g)].at(-1);
  // A last number above 100 is not a score on this scale (a year, a pixel size): no score, not a clamp.
  if (last && Number(last[1]) <= 100) return { score: Number(last[1]), rule: 'last-integer' };
  return { score: null, rule: 'none' };
}
