import { z } from 'zod';

/**
 * A streaming method with no side effects: the shape token streams will have (chunks while the call runs,
 * a result at the end, cancellable from the client). Used by the transport parity tests and the UI.
 */
export const demoMethods = {
  'demo.ticks': {
    params: z
      .object({
        count: z.number().int().min(0).max(100_000),
        intervalMs: z.number().int().min(0).max(10_000),
      })
      .strict(),
    result: z.object({ emitted: z.number().int() }),
    chunk: z.object({ index: z.number().int() }),
  },
};
