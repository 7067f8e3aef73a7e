import { z } from 'zod';
import {
  chatRequestSchema,
  chatResultSchema,
  fitEstimateSchema,
  loadOptionsSchema,
  localEngineKindSchema,
} from '../../api/models';

/**
 * The message protocol between the engine and a model host process (main/models/host/hostEntry.ts), over the
 * Node IPC channel of child_process.fork. Both sides validate every message: the host is a separate process
 * precisely because it may die or misbehave, so nothing it says is trusted unchecked. Versioned.
 */
export const HOST_PROTOCOL_VERSION = 1;

const id = z.string().min(1).max(100);

/** Load options after the engine resolved the defaults (threads is always explicit in a host). */
export const hostLoadOptionsSchema = loadOptionsSchema.required({ threads: true });
export type HostLoadOptions = z.output<typeof hostLoadOptionsSchema>;

export type LocalEngine = z.infer<typeof localEngineKindSchema>;

export const hostRequestSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('load'),
    id,
    engine: localEngineKindSchema,
    modelPath: z.string().min(1),
    mmprojPath: z.string().min(1).nullable(),
    options: hostLoadOptionsSchema,
  }),
  z.object({ type: z.literal('chat'), id, request: chatRequestSchema }),
  /** Stops the chat with this id; it still answers `done` with stopReason "aborted". */
  z.object({ type: z.literal('abort'), id }),
  z.object({ type: z.literal('usage'), id }),
  z.object({
    type: z.literal('fit'),
    id,
    modelPath: z.string().min(1),
    gpu: loadOptionsSchema.shape.gpu,
    contextSize: z.number().int().min(128),
  }),
  /** Free the model and exit. */
  z.object({ type: z.literal('shutdown') }),
]);
export type HostRequest = z.input<typeof hostRequestSchema>;

export const hostLoadedInfoSchema = z.object({
  vision: z.boolean(),
  backend: z.string(),
  offloadedLayers: z.number().int().nullable(),
  contextSize: z.number().int(),
  threads: z.number().int(),
  parallel: z.number().int(),
});
export type HostLoadedInfo = z.infer<typeof hostLoadedInfoSchema>;

export const hostMemorySchema = z.object({ rssBytes: z.number(), vramBytes: z.number().nullable() });
export type HostMemory = z.infer<typeof hostMemorySchema>;

export const hostReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), protocol: z.number().int(), pid: z.number().int() }),
  z.object({ type: z.literal('progress'), id, progress: z.number().min(0).max(1) }),
  z.object({ type: z.literal('loaded'), id, info: hostLoadedInfoSchema }),
  z.object({ type: z.literal('token'), id, text: z.string() }),
  z.object({ type: z.literal('done'), id, result: chatResultSchema }),
  z.object({ type: z.literal('usage'), id, memory: hostMemorySchema }),
  z.object({ type: z.literal('fit'), id, estimate: fitEstimateSchema }),
  z.object({ type: z.literal('failed'), id, message: z.string() }),
]);
export type HostReply = z.infer<typeof hostReplySchema>;
