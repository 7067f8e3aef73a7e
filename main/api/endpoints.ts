import { z } from 'zod';
import { endpointSchema } from './models';

/** An endpoint as the UI sees it: the API key never leaves the engine, only whether one is set. */
export const endpointViewSchema = endpointSchema.omit({ apiKey: true }).extend({ hasApiKey: z.boolean() });
export type EndpointView = z.infer<typeof endpointViewSchema>;

/** Save: `apiKey` omitted keeps the stored key, null removes it, a string replaces it. */
export const endpointInputSchema = endpointSchema
  .extend({ apiKey: z.string().min(1).nullable().optional() })
  .strict();
export type EndpointInput = z.input<typeof endpointInputSchema>;

export const connectionTestSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number(),
  /** The models the server lists. */
  models: z.array(z.string()),
  message: z.string(),
});
export type ConnectionTest = z.infer<typeof connectionTestSchema>;

export const endpointsMethods = {
  'endpoints.list': { params: z.object({}).strict(), result: z.array(endpointViewSchema) },
  'endpoints.save': { params: endpointInputSchema, result: endpointViewSchema },
  'endpoints.remove': {
    params: z.object({ name: z.string().min(1) }).strict(),
    result: z.object({ removed: z.boolean() }),
  },
  /** Tests a stored endpoint by name, or unsaved settings (the form's "Test connection" before saving). */
  'endpoints.test': {
    params: z.union([z.object({ name: z.string().min(1) }).strict(), endpointInputSchema]),
    result: connectionTestSchema,
  },
};
