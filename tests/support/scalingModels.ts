import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeTinyProjector, writeTinyTextModel } from '../fixtures/tinyGguf';

export interface ScalingModelFiles {
  captioners: { name: string; path: string; mmproj: string }[];
  solvers: { name: string; path: string }[];
}

/**
 * Two tiny vision captioners and two tiny text solvers of different sizes (layers, widths), so their GGUF
 * parameter counts differ and a study's curves have a real x axis. Their output is noise.
 */
export function writeScalingModels(dir: string): ScalingModelFiles {
  mkdirSync(dir, { recursive: true });
  const captioners = [
    { name: 'cap-small', embedding: 32, layers: 1, seed: 11 },
    { name: 'cap-large', embedding: 48, layers: 2, seed: 12 },
  ].map((c) => {
    const path = join(dir, `${c.name}.gguf`);
    const mmproj = join(dir, `mmproj-${c.name}.gguf`);
    writeTinyTextModel(path, {
      name: c.name,
      embedding: c.embedding,
      layers: c.layers,
      heads: 4,
      seed: c.seed,
    });
    writeTinyProjector(mmproj, { textEmbedding: c.embedding, seed: c.seed + 100 });
    return { name: c.name, path, mmproj };
  });
  const solvers = [
    { name: 'solver-small', embedding: 32, layers: 1, seed: 21 },
    { name: 'solver-large', embedding: 64, layers: 2, seed: 22 },
  ].map((s) => {
    const path = join(dir, `${s.name}.gguf`);
    writeTinyTextModel(path, {
      name: s.name,
      embedding: s.embedding,
      layers: s.layers,
      heads: 4,
      seed: s.seed,
    });
    return { name: s.name, path };
  });
  return { captioners, solvers };
}
