import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './serveProcess';

export interface VqaFixtureItem {
  uid: string;
  image: string;
  question: string;
  answer: string;
  choices?: string[];
  category: string;
  source: string;
}

const IMAGES = join(repoRoot, 'resources/sample/stem2code-mini/images');

/**
 * A tiny VQA benchmark in two "benchmarks" (sources) and three categories, mixing multiple choice, numbers and
 * short text, each item on its own image of the bundled mini set (so images tell items apart).
 */
export const VQA_ITEMS: VqaFixtureItem[] = [
  {
    uid: 'q0',
    image: 'chart-20260310-000.png',
    question: 'What is the peak value of the curve?',
    answer: '12.5',
    category: 'chart',
    source: 'MathVista',
  },
  {
    uid: 'q1',
    image: 'chart-20260310-001.png',
    question: 'Which series is highest at x = 3?',
    answer: 'B',
    choices: ['red', 'blue', 'green', 'black'],
    category: 'chart',
    source: 'MathVista',
  },
  {
    uid: 'q2',
    image: 'chart-20260310-002.png',
    question: 'How many bars are drawn?',
    answer: '7',
    category: 'counting',
    source: 'MathVista',
  },
  {
    uid: 'q3',
    image: 'chart-20260310-003.png',
    question: 'What is the slope of the line?',
    answer: '\\frac{1}{2}',
    category: 'algebra',
    source: 'MathVision',
  },
  {
    uid: 'q4',
    image: 'chart-20260310-004.png',
    question: 'Which shape has the largest area?',
    answer: 'triangle',
    choices: ['circle', 'square', 'triangle'],
    category: 'algebra',
    source: 'MathVision',
  },
  {
    uid: 'q5',
    image: 'chart-20260310-005.png',
    question: 'What is the colour of the legend box border?',
    answer: 'gray',
    category: 'chart',
    source: 'MathVision',
  },
];

/** Writes the benchmark as VQA JSONL with its images next to it; returns the file. */
export function writeVqaFixture(dir: string, items: VqaFixtureItem[] = VQA_ITEMS): string {
  mkdirSync(join(dir, 'images'), { recursive: true });
  for (const item of items) copyFileSync(join(IMAGES, item.image), join(dir, 'images', item.image));
  const file = join(dir, 'vqa.jsonl');
  writeFileSync(
    file,
    `${items.map((item) => JSON.stringify({ ...item, image: `images/${item.image}` })).join('\n')}\n`,
  );
  return file;
}

/** The fixture image's bytes as base64 (a request's data URL holds them). */
export function imageBase64(item: VqaFixtureItem): string {
  return readFileSync(join(IMAGES, item.image)).toString('base64');
}
