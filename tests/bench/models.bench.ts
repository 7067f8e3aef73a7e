/**
 * Tokens/s of a generated model through the whole stack (engine API → model host process → node-llama-cpp)
 * against calling node-llama-cpp directly in this process, same model, same settings, same greedy prompt
 * (so both produce the same tokens), interleaved so machine noise hits both alike. Then the batch speed-up
 * of 4 chats on 4 parallel sequences against 1. Prints figures and ratios; asserts nothing.
 *
 * Model: llama architecture, n_embd 512, 4 layers, 8 heads, FFN 1376, f16 weights (~13 M parameters, ~26 MB):
 * big enough that a token costs milliseconds on a CPU (so per-token IPC is a realistic fraction), small
 * enough to write in a second. BENCH_THREADS sets threads (default: physical cores).
 */
import { join } from 'node:path';
import { LlamaChat, getLlama } from 'node-llama-cpp';
import { createEngine } from '../../main/engine/engine';
import { connectInProcess } from '../../main/engine/inProcessClient';
import { llamaOptionsFor } from '../../main/models/host/llamaCppRunner';
import { physicalCoreCount } from '../../main/models/physicalCores';
import { useFreshModelHost } from '../fixtures/modelHost';
import { writeTinyTextModel } from '../fixtures/tinyGguf';
import { makeTempDir } from '../support/tempDir';

const TOKENS = 128;
const ROUNDS = 5;
const PARALLEL = 4;
const threads = Number(process.env.BENCH_THREADS ?? physicalCoreCount());
const CONTEXT = 2048;
const PROMPT = 'the plot shows a red line and a blue bar';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number) => x.toFixed(1).padStart(8);

const dir = makeTempDir('codepercept-bench-models-');
const modelPath = join(dir.path, 'bench-512x4.gguf');
let t = performance.now();
const written = writeTinyTextModel(modelPath, {
  name: 'bench-512x4',
  embedding: 512,
  layers: 4,
  heads: 8,
  feedForward: 1376,
  weights: 'f16',
  seed: 11,
});
console.log(
  `model: n_embd 512, 4 layers, f16, ${(written.bytes / 2 ** 20).toFixed(1)} MiB, written in ${(performance.now() - t).toFixed(0)} ms; ${threads} thread(s), ${TOKENS} tokens per answer, greedy`,
);

// Direct: node-llama-cpp in this process, the same calls the host makes.
t = performance.now();
const llama = await getLlama(llamaOptionsFor('auto'));
const model = await llama.loadModel({ modelPath, gpuLayers: 'auto' });
const context = await model.createContext({ contextSize: CONTEXT, sequences: PARALLEL, threads });
const directChat = new LlamaChat({ contextSequence: context.getSequence() });
const directLoadMs = performance.now() - t;

async function direct(): Promise<{ tps: number; text: string }> {
  const before = directChat.sequence.tokenMeter.usedOutputTokens;
  const started = performance.now();
  const response = await directChat.generateResponse(
    [
      { type: 'user', text: PROMPT },
      { type: 'model', response: [] },
    ],
    { maxTokens: TOKENS, temperature: 0, onTextChunk: () => {} },
  );
  const tokens = directChat.sequence.tokenMeter.usedOutputTokens - before;
  return { tps: (tokens * 1000) / (performance.now() - started), text: response.response };
}

// Through the stack: engine API (in-process transport) → host process → the same binding.
await useFreshModelHost();
const engine = createEngine({
  dataDir: join(dir.path, 'data'),
  command: 'bench',
  log: () => {},
  environmentChecks: () => Promise.resolve([]),
});
const client = connectInProcess(engine);
t = performance.now();
const loaded = await client.call('models.load', {
  model: modelPath,
  options: { contextSize: CONTEXT, threads, parallel: PARALLEL, gpu: 'auto' },
});
const stackLoadMs = performance.now() - t;

async function stack(seed?: number): Promise<{ tps: number; text: string; tokens: number }> {
  const started = performance.now();
  let streamed = '';
  const result = await client.call(
    'models.chat',
    {
      id: loaded.id,
      request: {
        messages: [{ role: 'user', content: PROMPT }],
        maxTokens: TOKENS,
        temperature: 0,
        ...(seed === undefined ? {} : { seed }),
      },
    },
    { onChunk: (c) => (streamed += c.text) },
  );
  if (streamed !== result.text) throw new Error('streamed text differs from the result');
  const tokens = result.tokens.completion;
  return { tps: (tokens * 1000) / (performance.now() - started), text: result.text, tokens };
}

console.log(
  `load: direct ${directLoadMs.toFixed(0)} ms, through the stack (fork + host + load) ${stackLoadMs.toFixed(0)} ms`,
);
await direct(); // warm-up both: first evaluations allocate
await stack();
const directTps: number[] = [];
const stackTps: number[] = [];
let same = true;
for (let round = 0; round < ROUNDS; round++) {
  const d = await direct();
  const s = await stack();
  same &&= d.text === s.text;
  directTps.push(d.tps);
  stackTps.push(s.tps);
}
const ratio = median(stackTps) / median(directTps);
console.log(`\nsingle answer, median of ${ROUNDS} interleaved rounds (tokens/s, wall clock incl. prompt):`);
console.log(
  `direct binding (baseline)        ${fmt(median(directTps))}   [${directTps.map((x) => x.toFixed(0)).join(', ')}]`,
);
console.log(
  `engine → host → binding          ${fmt(median(stackTps))}   [${stackTps.map((x) => x.toFixed(0)).join(', ')}]`,
);
console.log(
  `ratio stack / direct             ${ratio.toFixed(2).padStart(8)}   (target ≥ 0.95; identical answers: ${same})`,
);

// Batch: 4 chats at once on 4 sequences (decoded in shared batches) against one at a time.
const single: number[] = [];
const batch: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  single.push((await stack(1)).tps);
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => stack(i + 1)));
  const tokens = results.reduce((sum, r) => sum + r.tokens, 0);
  batch.push((tokens * 1000) / (performance.now() - started));
}
const speedup = median(batch) / median(single);
console.log(`\nparallel sequences through the stack (aggregate tokens/s):`);
console.log(`1 chat                           ${fmt(median(single))}`);
console.log(`${PARALLEL} chats on ${PARALLEL} sequences            ${fmt(median(batch))}`);
console.log(
  `batch speed-up                   ${speedup.toFixed(2).padStart(8)}×  (target ≥ 1.5× where cores allow; ${threads} thread(s))`,
);

client.close();
await engine.dispose();
await llama.dispose();
dir.cleanup();
