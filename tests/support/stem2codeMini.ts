import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './serveProcess';

/** The bundled STEM2Code mini benchmark (the sample `codepercept serve` imports on a new data dir). */
export const MINI_BENCHMARK = join(repoRoot, 'resources/sample/stem2code-mini/benchmark.jsonl');

interface MiniLine {
  messages: { content: { text?: string }[] }[];
}

/** The reference code of the mini benchmark's first `limit` items, in order (uid 0, 1, …). */
export function miniReferenceCode(limit: number): string[] {
  return readFileSync(MINI_BENCHMARK, 'utf8')
    .trim()
    .split('\n')
    .slice(0, limit)
    .map((l) => (JSON.parse(l) as MiniLine).messages[3]!.content[0]!.text!);
}

/** A model's answer with `code` in one fenced python block, as a predictions file holds it. */
export const fenced = (code: string) => `Here is the code.\n\n\`\`\`python\n${code}\n\`\`\`\n`;
