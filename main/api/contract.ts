import type { z } from 'zod';
import { datasetsMethods } from './datasets';
import { demoMethods } from './demo';
import { endpointsMethods } from './endpoints';
import { evalMethods } from './eval';
import { judgeAuditMethods } from './judgeAudit';
import { jobsEvents, jobsMethods } from './jobs';
import { modelsEvents, modelsMethods } from './models';
import { renderEvents, renderMethods } from './render';
import { scalingMethods } from './scaling';
import { systemMethods } from './system';
import { traceMethods } from './trace';

/** A request/response method; `chunk` marks a streaming method whose partial results arrive as events. */
export interface MethodSpec {
  params: z.ZodType;
  result: z.ZodType;
  chunk?: z.ZodType;
}

/** The whole API: one table, each domain contributing its own file. */
export const methods = {
  ...systemMethods,
  ...jobsMethods,
  ...demoMethods,
  ...renderMethods,
  ...datasetsMethods,
  ...modelsMethods,
  ...endpointsMethods,
  ...evalMethods,
  ...judgeAuditMethods,
  ...scalingMethods,
  ...traceMethods,
} satisfies Record<string, MethodSpec>;

export const events = {
  ...jobsEvents,
  ...renderEvents,
  ...modelsEvents,
} satisfies Record<string, z.ZodType>;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type Params<M extends MethodName> = z.input<Methods[M]['params']>;
export type Result<M extends MethodName> = z.output<Methods[M]['result']>;
export type Chunk<M extends MethodName> = Methods[M] extends { chunk: z.ZodType }
  ? z.output<Methods[M]['chunk']>
  : never;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}
