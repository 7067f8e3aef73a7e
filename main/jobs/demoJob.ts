import { setTimeout as sleep } from 'node:timers/promises';
import { demoJobParamsSchema } from '../api/jobs';
import type { DemoJobParams } from '../api/jobs';
import type { JobDefinition } from './jobDefinition';

/** A job with no real work: waits `delayMs` per item. Exercises progress, cancel and resume end to end. */
export const demoJob: JobDefinition<DemoJobParams> = {
  type: 'demo.count',
  paramsSchema: demoJobParamsSchema,
  title: (p) => `Demo: count to ${p.items}`,
  plan: (ctx) => Array.from({ length: ctx.params.items }, (_, i) => `item-${i}`),
  async runItem(ctx) {
    await sleep(ctx.params.delayMs, undefined, { signal: ctx.signal });
    if (ctx.params.failAt?.includes(ctx.index))
      throw new Error(`Item ${ctx.index} fails on purpose (failAt).`);
    return { square: ctx.index * ctx.index, pid: process.pid };
  },
};
