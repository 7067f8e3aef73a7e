/**
 * A small seeded PRNG (mulberry32) so the same seed always yields the same figures on every platform;
 * Math.random cannot be seeded.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Uniform in [min, max], rounded to `decimals` places so the value prints exactly in code and caption. */
  float(min: number, max: number, decimals: number): number;
  pick<T>(items: readonly T[]): T;
  /** `count` distinct items in random order. */
  sample<T>(items: readonly T[], count: number): T[];
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    float: (min, max, decimals) => roundTo(min + next() * (max - min), decimals),
    pick: (items) => {
      if (items.length === 0) throw new Error('Cannot pick from an empty list.');
      return items[int(0, items.length - 1)] as (typeof items)[number];
    },
    sample: (items, count) => {
      const pool = [...items];
      for (let i = pool.length - 1; i > 0; i--) {
        const j = int(0, i);
        [pool[i], pool[j]] = [pool[j] as (typeof pool)[number], pool[i] as (typeof pool)[number]];
      }
      return pool.slice(0, count);
    },
  };
}

export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  // Adding 0 turns -0 into 0, which would otherwise print as "-0" in captions.
  return Math.round(value * factor) / factor + 0;
}

/** A number as both Python and a reader would write it: no float noise, no exponent, no trailing zeros. */
export function num(value: number, decimals = 4): string {
  return String(roundTo(value, decimals));
}

/** A Python list literal of numbers. */
export function pyList(values: readonly number[], decimals = 4): string {
  return `[${values.map((v) => num(v, decimals)).join(', ')}]`;
}

/** A Python list literal of strings; labels are our own vocabulary, so single quotes never need escaping. */
export function pyStrings(values: readonly string[]): string {
  return `[${values.map((v) => `'${v}'`).join(', ')}]`;
}

/** "a, b and c" for captions. */
export function listing(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
