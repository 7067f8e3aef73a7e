import { existsSync } from 'node:fs';
import type { ChatMessage, ChatRequest, ChatResult, GpuBackend } from '../../api/models';
import type { HostLoadOptions } from './hostProtocol';
import { importLlamaNode } from './llamaNodeBinding';
import type { LibVariant, LlamaNodeMessage, LlamaNodeParallelResult } from './llamaNodeBinding';
import { GenerationClock } from './localRunner';
import type { LocalRunner } from './localRunner';

/** "auto" takes the CUDA build where an NVIDIA driver is present; the default build is CPU (plus Metal on macOS). */
function libVariantFor(gpu: GpuBackend): LibVariant {
  if (gpu === 'cuda') return 'cuda';
  if (gpu === 'vulkan') return 'vulkan';
  if (gpu === 'auto' && existsSync('/proc/driver/nvidia')) return 'cuda';
  return 'default';
}

/** Our messages to llama.node's OpenAI-style ones; image parts become image_url (data URL or path). */
function toLlamaNodeMessages(messages: ChatMessage[]): LlamaNodeMessage[] {
  return messages.map((m) => ({
    role: m.role,
    content:
      typeof m.content === 'string'
        ? m.content
        : m.content.map((part) =>
            part.type === 'text'
              ? { type: 'text', text: part.text }
              : { type: 'image_url', image_url: { url: part.image } },
          ),
  }));
}

/**
 * A vision model through @fugood/llama.node: the language model plus its projector (`initMultimodal`), served
 * through the binding's parallel slots so `parallel` chats decode together and each can be stopped alone.
 */
export async function loadLlamaNodeRunner(
  modelPath: string,
  mmprojPath: string | null,
  options: HostLoadOptions,
  onProgress: (progress: number) => void,
): Promise<LocalRunner> {
  const variant = libVariantFor(options.gpu);
  const gpuLayers = options.gpu === 'cpu' ? 0 : options.gpuLayers === 'auto' ? 999 : options.gpuLayers;
  const { loadModel } = await importLlamaNode();
  const context = await loadModel(
    {
      model: modelPath,
      n_ctx: options.contextSize,
      n_threads: options.threads,
      n_gpu_layers: gpuLayers,
      n_parallel: options.parallel,
      lib_variant: variant,
    },
    (progress) => onProgress(Math.min(1, Math.max(0, progress > 1 ? progress / 100 : progress))),
  );
  try {
    if (mmprojPath && !context.initMultimodal({ path: mmprojPath, use_gpu: options.gpu !== 'cpu' })) {
      throw new Error(`The projector ${mmprojPath} does not fit this model (initMultimodal failed).`);
    }
    if (!(await context.parallel.enable({ n_parallel: options.parallel }))) {
      throw new Error('llama.node could not enable its parallel slots.');
    }
  } catch (error) {
    await context.release();
    throw error;
  }
  const vision = mmprojPath !== null;

  const chat = async (
    request: ChatRequest,
    { signal, onToken }: { signal: AbortSignal; onToken: (text: string) => void },
  ): Promise<ChatResult> => {
    const clock = new GenerationClock();
    let text = '';
    if (signal.aborted)
      return { text, stopReason: 'aborted', tokens: { prompt: 0, completion: 0 }, timings: clock.timings() };
    const handle = await context.parallel.completion(
      {
        messages: toLlamaNodeMessages(request.messages),
        n_predict: request.maxTokens,
        temperature: request.temperature,
        ...(request.topP !== undefined ? { top_p: request.topP } : {}),
        ...(request.seed !== undefined ? { seed: request.seed } : {}),
        ...(request.jsonSchema
          ? { response_format: { type: 'json_schema' as const, json_schema: { schema: request.jsonSchema } } }
          : {}),
      },
      (_requestId, token) => {
        clock.token();
        // Tokens that end inside a UTF-8 sequence arrive with the next one; count them, stream the text.
        if (token.token) {
          text += token.token;
          onToken(token.token);
        }
      },
    );
    const onAbort = () => handle.stop();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const result = (await handle.promise) as LlamaNodeParallelResult;
      clock.completionTokens = result.tokens_predicted;
      return {
        text: result.text,
        stopReason: result.stopped_limit ? 'maxTokens' : 'eos',
        tokens: {
          prompt: result.timings.prompt_n + result.timings.cache_n,
          completion: result.tokens_predicted,
        },
        timings: clock.timings(),
      };
    } catch (error) {
      // stop() rejects the request; that is an abort we asked for, answered with the text so far.
      if (!signal.aborted) throw error;
      return {
        text,
        stopReason: 'aborted',
        tokens: { prompt: 0, completion: clock.completionTokens },
        timings: clock.timings(),
      };
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };

  return {
    info: {
      vision,
      backend: context.getUsedDevices().join('+') || 'cpu',
      offloadedLayers: gpuLayers === 0 ? 0 : null,
      contextSize: options.contextSize,
      threads: options.threads,
      parallel: options.parallel,
    },
    chat,
    vramBytes: () => Promise.resolve(null),
    dispose: async () => {
      context.parallel.disable();
      await context.release();
    },
  };
}
