import { z } from 'zod';

/**
 * The model contract shared by every engine (node-llama-cpp, @fugood/llama.node, OpenAI-compatible HTTP)
 * and by the UI/CLI. Kept narrow on purpose: when node-llama-cpp gains image input, vision moves engines
 * without any caller changing.
 */
export const engineKindSchema = z.enum(['node-llama-cpp', 'llama.node', 'openai']);
export type EngineKind = z.infer<typeof engineKindSchema>;

export const gpuBackendSchema = z.enum(['auto', 'cuda', 'vulkan', 'metal', 'cpu']);
export type GpuBackend = z.infer<typeof gpuBackendSchema>;

export const loadOptionsSchema = z
  .object({
    gpu: gpuBackendSchema.default('auto'),
    /** "auto" lets the binding fit as many layers as VRAM allows; 0 keeps everything on the CPU. */
    gpuLayers: z.union([z.literal('auto'), z.number().int().min(0)]).default('auto'),
    contextSize: z.number().int().min(128).max(1_048_576).default(4096),
    /** Defaults to the number of physical cores (the bindings' own default of 4 is far slower on 2 cores). */
    threads: z.number().int().min(1).max(512).optional(),
    /** Parallel sequences (slots) for batch throughput. */
    parallel: z.number().int().min(1).max(64).default(1),
  })
  .strict();
export type LoadOptions = z.output<typeof loadOptionsSchema>;
export type LoadOptionsInput = z.input<typeof loadOptionsSchema>;

export const chatPartSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  /** An image as a data URL (`data:image/png;base64,...`) or an absolute local path. */
  z.object({ type: z.literal('image'), image: z.string().min(1) }),
]);
export type ChatPart = z.infer<typeof chatPartSchema>;

export const chatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.union([z.string(), z.array(chatPartSchema)]),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const chatRequestSchema = z
  .object({
    messages: z.array(chatMessageSchema).min(1),
    maxTokens: z.number().int().min(1).max(1_000_000).default(512),
    temperature: z.number().min(0).max(5).default(0),
    topP: z.number().min(0).max(1).optional(),
    seed: z.number().int().optional(),
    /** Constrain the output to this JSON schema where the engine supports it (grammar or response_format). */
    jsonSchema: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type ChatRequest = z.output<typeof chatRequestSchema>;
export type ChatRequestInput = z.input<typeof chatRequestSchema>;

export const stopReasonSchema = z.enum(['eos', 'maxTokens', 'aborted', 'error']);

export const chatResultSchema = z.object({
  text: z.string(),
  stopReason: stopReasonSchema,
  tokens: z.object({ prompt: z.number().int(), completion: z.number().int() }),
  timings: z.object({
    /** Time to first token, including prompt processing. */
    firstTokenMs: z.number().nullable(),
    totalMs: z.number(),
    /** Completion tokens per second over the generation phase. */
    tokensPerSecond: z.number().nullable(),
  }),
});
export type ChatResult = z.infer<typeof chatResultSchema>;

/** A streamed piece of the answer. */
export const chatChunkSchema = z.object({ text: z.string() });
export type ChatChunk = z.infer<typeof chatChunkSchema>;

export const modelFileSchema = z.object({
  /** Registered name, or the path for unregistered files found in the models folders. */
  name: z.string(),
  path: z.string(),
  format: z.enum(['gguf', 'onnx']),
  sizeBytes: z.number().int(),
  registered: z.boolean(),
  architecture: z.string().nullable(),
  /** e.g. 7_241_732_096; null when the file does not say and tensors were not counted. */
  parameterCount: z.number().nullable(),
  /** e.g. "Q4_K_M", "F16". */
  quantization: z.string().nullable(),
  contextLength: z.number().int().nullable(),
  hasChatTemplate: z.boolean(),
  /** A projector (mmproj) paired with this model makes it a vision model. */
  mmprojPath: z.string().nullable(),
  vision: z.boolean(),
  /** This file is itself a projector (listed for pairing, not loadable alone). */
  isProjector: z.boolean(),
  /** Why the file could not be read, when it could not. */
  error: z.string().nullable(),
});
export type ModelFile = z.infer<typeof modelFileSchema>;

export const fitEstimateSchema = z.object({
  fits: z.boolean(),
  /** Layers that would go to the GPU with gpuLayers "auto" (0 on CPU-only machines). */
  gpuLayers: z.number().int(),
  totalLayers: z.number().int().nullable(),
  vramBytes: z.number(),
  ramBytes: z.number(),
  contextSize: z.number().int(),
  note: z.string(),
});
export type FitEstimate = z.infer<typeof fitEstimateSchema>;

export const loadedModelSchema = z.object({
  /** Handle for chat/unload calls. */
  id: z.string(),
  name: z.string(),
  engine: engineKindSchema,
  state: z.enum(['loading', 'ready', 'failed', 'unloaded']),
  /** 0..1 while loading. */
  progress: z.number(),
  vision: z.boolean(),
  gpu: z.object({ backend: z.string(), offloadedLayers: z.number().int().nullable() }).nullable(),
  memory: z.object({ rssBytes: z.number(), vramBytes: z.number().nullable() }).nullable(),
  /** The host process (local engines). */
  pid: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type LoadedModel = z.infer<typeof loadedModelSchema>;

export const endpointSchema = z.object({
  name: z.string().min(1).max(100),
  baseUrl: z.string().url(),
  /** Stored in the settings; never sent anywhere but this endpoint. */
  apiKey: z.string().nullable(),
  /** The model name the server expects. */
  model: z.string().min(1),
  maxConcurrency: z.number().int().min(1).max(256).default(4),
  timeoutMs: z.number().int().min(1000).max(3_600_000).default(120_000),
  retries: z.number().int().min(0).max(10).default(3),
});
export type Endpoint = z.output<typeof endpointSchema>;

export const localEngineKindSchema = engineKindSchema.exclude(['openai']);

/** A model by registered name, absolute path, or file name/stem found in the models folders. */
const modelReference = z.string().min(1).max(4096);

export const testModelSetSchema = z.object({ text: z.string(), vision: z.string(), mmproj: z.string() });
export type TestModelSet = z.infer<typeof testModelSetSchema>;

export const modelsMethods = {
  /** Every model file in the models folders plus the registered ones, with GGUF metadata (nothing loaded). */
  'models.list': { params: z.object({}).strict(), result: z.array(modelFileSchema) },
  'models.inspect': { params: z.object({ model: modelReference }).strict(), result: modelFileSchema },
  /** The models folders: `<dataDir>/models` first, then those added with models.add DIR. */
  'models.folders': { params: z.object({}).strict(), result: z.array(z.string()) },
  /** A file registers a model (under `name`, with an optional projector); a directory adds a models folder. */
  'models.add': {
    params: z
      .object({
        path: z.string().min(1),
        mmproj: z.string().min(1).optional(),
        name: z.string().min(1).max(200).optional(),
      })
      .strict(),
    result: z.object({ folder: z.string().nullable(), models: z.array(modelFileSchema) }),
  },
  /** Forgets a registered model or an added folder; files stay on disk. */
  'models.remove': {
    params: z.object({ name: z.string().min(1) }).strict(),
    result: z.object({ removed: z.boolean() }),
  },
  'models.fit': {
    params: z
      .object({
        model: modelReference,
        contextSize: z.number().int().min(128).max(1_048_576).optional(),
        gpu: gpuBackendSchema.optional(),
      })
      .strict(),
    result: fitEstimateSchema,
  },
  /** Starts a host process and loads the model; progress arrives as models.state events. */
  'models.load': {
    params: z
      .object({
        model: modelReference,
        /** Overrides the paired projector; makes the model a vision model. */
        mmproj: z.string().min(1).optional(),
        /** Default: llama.node with a projector, node-llama-cpp without. */
        engine: localEngineKindSchema.optional(),
        options: loadOptionsSchema.optional(),
      })
      .strict(),
    result: loadedModelSchema,
  },
  'models.unload': {
    params: z.object({ id: z.string().min(1) }).strict(),
    result: z.object({ unloaded: z.boolean() }),
  },
  /** Loaded models with fresh memory figures. */
  'models.loaded': { params: z.object({}).strict(), result: z.array(loadedModelSchema) },
  /** Streams the answer as chunks; cancelling the call stops generation in the host. */
  'models.chat': {
    params: z.object({ id: z.string().min(1), request: chatRequestSchema }).strict(),
    result: chatResultSchema,
    chunk: chatChunkSchema,
  },
  /** Writes the random-weight test models (text, vision + mmproj) into `dir` (default `<dataDir>/models/test`). */
  'models.makeTestModel': {
    params: z.object({ dir: z.string().min(1).optional() }).strict(),
    result: testModelSetSchema,
  },
};

export const modelsEvents = {
  /** A loaded model's state changed: load progress, ready, failed (its host died), unloaded, memory. */
  'models.state': loadedModelSchema,
};
