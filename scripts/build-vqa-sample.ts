// Builds resources/sample/vqa-mini/questions.jsonl: questions about the sample figures (the PNGs in
// stem2code-mini/images, not copied) whose gold answers come from the generator parameters that drew each
// figure, never from the image. Deterministic: the same seeds write the same file. Run: npm run sample:build
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSample } from '../main/icc/generators';
import { SAMPLE_PER_CATEGORY, SAMPLE_SEED, SAMPLE_VQA_SEED, vqaLine } from '../main/icc/sampleLayout';
import { sampleVqaQuestions } from '../main/icc/sampleVqa';

const OUT = join('resources', 'sample', 'vqa-mini');
const figures = generateSample(SAMPLE_SEED, SAMPLE_PER_CATEGORY);
const lines = sampleVqaQuestions(figures, SAMPLE_VQA_SEED).flatMap(({ figure, questions }) =>
  questions.map((question, index) =>
    vqaLine(figure, question, index, `../stem2code-mini/images/${figure.uid}.png`),
  ),
);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'questions.jsonl'), lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
const kinds = Object.entries(
  lines.reduce<Record<string, number>>((acc, l) => ({ ...acc, [l.kind]: (acc[l.kind] ?? 0) + 1 }), {}),
)
  .map(([kind, n]) => `${n} ${kind}`)
  .join(', ');
console.log(`wrote ${lines.length} questions about ${figures.length} figures to ${OUT} (${kinds})`);
