import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiClient } from '../../main/api/client';
import { repoRoot } from './serveProcess';
import { waitFor } from './waitFor';

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

/** `codepercept serve` imports the bundled sample as jobs on a new data dir: wait until the mini is in full. */
export async function waitForBundledMini(client: ApiClient, timeoutMs: number): Promise<void> {
  await waitFor(
    'the bundled mini benchmark imported',
    async () => {
      const datasets = await client.call('datasets.list', {});
      const jobs = await client.call('jobs.list', {});
      const mini = datasets.find((d) => d.name === 'sample-stem2code-mini');
      return mini?.itemCount === 48 && jobs.every((j) => j.state === 'done');
    },
    timeoutMs,
    500,
  );
}
