/**
 * The slice of @fugood/llama.node the host uses, typed here: the package ships TypeScript sources instead of
 * declarations, and they do not compile under this project's strict settings. The import specifier is a
 * variable so the compiler does not follow it; the bundler keeps it external either way.
 */
export type LibVariant = 'default' | 'vulkan' | 'cuda';

export interface LlamaNodeMessage {
  role: string;
  content: string | { type: string; text?: string; image_url?: { url: string } }[];
}

export interface LlamaNodeToken {
  token: string;
}

export interface LlamaNodeParallelResult {
  text: string;
  stopped_eos: boolean;
  stopped_limit: boolean;
  tokens_predicted: number;
  tokens_evaluated: number;
  timings: { prompt_n: number; cache_n: number; predicted_n: number; predicted_ms: number };
}

export interface LlamaNodeCompletionOptions {
  messages: LlamaNodeMessage[];
  n_predict: number;
  temperature: number;
  top_p?: number;
  seed?: number;
  ignore_eos?: boolean;
  response_format?: { type: 'json_schema'; json_schema: { schema: Record<string, unknown> } };
}

export interface LlamaNodeContext {
  initMultimodal(options: { path: string; use_gpu?: boolean }): boolean;
  getUsedDevices(): string[];
  release(): Promise<void>;
  parallel: {
    enable(config: { n_parallel: number }): Promise<boolean>;
    disable(): void;
    completion(
      options: LlamaNodeCompletionOptions,
      onToken: (requestId: number, token: LlamaNodeToken) => void,
    ): Promise<{ requestId: number; promise: Promise<unknown>; stop: () => void }>;
  };
}

export interface LlamaNodeModule {
  loadModel(
    options: {
      model: string;
      n_ctx: number;
      n_threads: number;
      n_gpu_layers: number;
      n_parallel: number;
      lib_variant: LibVariant;
    },
    onProgress?: (progress: number) => void,
  ): Promise<LlamaNodeContext>;
  toggleNativeLog(enable: boolean): Promise<void>;
  addNativeLogListener(listener: (level: string, text: string) => void): { remove: () => void };
}

const PACKAGE = '@fugood/llama.node';

export async function importLlamaNode(): Promise<LlamaNodeModule> {
  return (await import(PACKAGE)) as LlamaNodeModule;
}
