import type { Judgment } from '../../api/eval';
import type { ChatMessage } from '../../api/models';
import type { ChatModel } from '../../models/chatEngine';
import { stripReasoning } from '../protocol/extractCode';
import { parseJudgeScore } from '../protocol/judgeScore';
import type { ParsedScore } from '../protocol/judgeScore';

/** What every judge call takes: how many attempts before the judgment counts as failed, and a cancel signal. */
export interface JudgeOptions {
  /** Attempts (≥ 1) before the judgment is reported as failed. */
  attempts: number;
  signal?: AbortSignal;
}

/** Room for a rubric walk-through and the score line; reasoning judges think inside this too. */
export const JUDGE_MAX_TOKENS = 2048;

/** The instruction every judge prompt ends with; the score parser reads exactly this line. */
export const SCORE_INSTRUCTION =
  'End your answer with the total on its own line, exactly in this form: Score: N/100 (N an integer from 0 to 100).';

/** A weighted rubric item; the weights of one rubric add up to 100. */
export interface RubricItem {
  name: string;
  points: number;
  /** What earns the points. */
  asks: string;
}

export function rubricText(rubric: readonly RubricItem[]): string {
  return rubric.map((item, i) => `${i + 1}. ${item.name} (${item.points} points): ${item.asks}`).join('\n');
}

/** The score of a judge's reply; a reasoning judge's thinking may mention sub-scores, so only its answer counts. */
export function readJudgeScore(reply: string): ParsedScore {
  return parseJudgeScore(stripReasoning(reply));
}

/**
 * Asks `model` for a judgment at temperature 0 (seed = attempt − 1) until a reply carries a score, at most `attempts` times.
 * A reply without a parsable score or a failed call is one failure; after the last one the judgment has a
 * null score and says why (a failed judgment is reported, never counted as 0). Aborting `signal` rejects
 * with the signal's reason, whatever attempt is running.
 */
export async function runJudge(
  model: ChatModel,
  messages: ChatMessage[],
  { attempts, signal }: JudgeOptions,
): Promise<Judgment> {
  if (!Number.isInteger(attempts) || attempts < 1)
    throw new RangeError(`Judge attempts must be an integer ≥ 1, got ${attempts}.`);
  const problems: string[] = [];
  let reply = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    signal?.throwIfAborted();
    let text: string;
    try {
      // Temperature 0 alone is not reproducible on every engine (llama.node still samples), so each attempt
      // has a fixed seed: the same question gets the same answer, and a retry gets a fresh one.
      const result = await model.chat(
        { messages, maxTokens: JUDGE_MAX_TOKENS, temperature: 0, seed: attempt - 1 },
        signal ? { signal } : {},
      );
      // Engines resolve an aborted chat with the text so far; a cancelled judgment is not a failed one.
      signal?.throwIfAborted();
      text = result.text;
      if (result.stopReason === 'error') throw new Error(`the model stopped with an error`);
    } catch (error) {
      signal?.throwIfAborted();
      problems.push(
        `attempt ${attempt}: the call failed (${error instanceof Error ? error.message : String(error)})`,
      );
      continue;
    }
    reply = text;
    const { score } = readJudgeScore(text);
    if (score !== null) return { score, reply, attempts: attempt, failures: attempt - 1, error: null };
    problems.push(`attempt ${attempt}: the reply had no score ("Score: N/100" or a final integer ≤ 100)`);
  }
  return {
    score: null,
    reply,
    attempts,
    failures: attempts,
    error: `No score after ${attempts} attempt${attempts === 1 ? '' : 's'} — ${problems.join('; ')}. Check that the judge model follows instructions, or raise the judge attempts.`,
  };
}
