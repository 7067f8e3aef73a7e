/**
 * Code extraction from a model's answer, by the STEM2Code-Eval protocol: reasoning models keep only the text
 * after `</think>`; then the first fenced ```python block, else the first bare ``` block, else no code.
 * Some model families put the final answer in the last block, so which block is a run setting.
 */
export type BlockChoice = 'first' | 'last';

export interface ExtractedCode {
  /** The code, or null when the answer holds no code block ("no code" in the failure taxonomy). */
  code: string | null;
  /** Which rule found it. */
  rule: 'python-block' | 'bare-block' | 'none';
  /** The answer after reasoning was stripped (what the rules looked at). */
  answer: string;
}

const THINK_END = '</think>';

/** The text after the last `</think>`; an answer still inside an unclosed `<think>` has no final part. */
export function stripReasoning(response: string): string {
  const end = response.lastIndexOf(THINK_END);
  if (end !== -1) return response.slice(end + THINK_END.length);
  // A `<think>` that never closed (the model ran out of tokens while reasoning) leaves nothing to grade.
  if (/^\s*<think>/.test(response)) return '';
  return response;
}

interface Fence {
  info: string;
  body: string;
}

/**
 * Fenced blocks in order. A fence is ``` (or longer, or ~~~) at the start of a line (up to 3 spaces of
 * indentation, as in CommonMark) and closes at the next fence of the same kind; an unclosed last block runs
 * to the end of the answer (models cut off by max tokens still produced code).
 */
function fences(text: string): Fence[] {
  const lines = text.split('\n');
  const out: Fence[] = [];
  let open: { marker: string; info: string; body: string[] } | null = null;
  for (const line of lines) {
    const m = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (open) {
      if (m && m[1]![0] === open.marker[0] && m[1]!.length >= open.marker.length && m[2]!.trim() === '') {
        out.push({ info: open.info, body: open.body.join('\n') });
        open = null;
      } else open.body.push(line);
      continue;
    }
    if (m && !(m[1]![0] === '`' && m[2]!.includes('`')))
      open = { marker: m[1]!, info: m[2]!.trim(), body: [] };
  }
  if (open) out.push({ info: open.info, body: open.body.join('\n') });
  return out;
}

const isPython = (info: string) => /^(python3?|py)\b/i.test(info);

export function extractCode(response: string, choice: BlockChoice = 'first'): ExtractedCode {
  const answer = stripReasoning(response);
  const blocks = fences(answer).filter((b) => b.body.trim() !== '');
  const pick = (list: Fence[]) => (choice === 'first' ? list[0] : list.at(-1));
  const python = pick(blocks.filter((b) => isPython(b.info)));
  if (python) return { code: python.body, rule: 'python-block', answer };
  const bare = pick(blocks.filter((b) => b.info === ''));
  if (bare) return { code: bare.body, rule: 'bare-block', answer };
  return { code: null, rule: 'none', answer };
}
