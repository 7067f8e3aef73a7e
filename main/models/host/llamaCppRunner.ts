import { LlamaChat, LlamaLogLevel, getLlama } from 'node-llama-cpp';
import type { ChatHistoryItem, Llama, LlamaOptions } from 'node-llama-cpp';
import type { ChatMessage, ChatRequest, ChatResult, GpuBackend } from '../../api/models';
import { ConcurrencyLimit } from '../concurrencyLimit';
import type { HostLoadOptions } from './hostProtocol';
import { GenerationClock, textOnly } from './localRunner';
import type { LocalRunner } from './localRunner';

/** Our backend names to node-llama-cpp's; `build: "never"` because compiling is never the right fallback here. */
export function llamaOptionsFor(gpu: GpuBackend): LlamaOptions {
  return {
    gpu: gpu === 'cpu' ? false : gpu,
    build: 'never',
    progressLogs: false,
    logLevel: LlamaLogLevel.warn,
  };
}

function toHistory(messages: ChatMessage[], modelName: string): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m) => {
    const text = textOnly(m, modelName);
    if (m.role === 'system') return { type: 'system', text };
    if (m.role === 'user') return { type: 'user', text };
    return { type: 'model', response: [text] };
  });
  // LlamaChat completes the last model turn: an empty one asks for a fresh answer.
  const last = history.at(-1);
  if (last?.type !== 'model') history.push({ type: 'model', response: [] });
  return history;
}

const stopReasons = {
  eogToken: 'eos',
  stopGenerationTrigger: 'eos',
  customStopTrigger: 'eos',
  functionCalls: 'eos',
  maxTokens: 'maxTokens',
  abort: 'aborted',
} as const;

/**
 * A text model through node-llama-cpp: one context with `parallel` sequences, each chat borrowing a free
 * sequence, so parallel chats are decoded in the same batches (that is where the batch speed-up comes from).
 */
export async function loadLlamaCppRunner(
  modelPath: string,
  options: HostLoadOptions,
  onProgress: (progress: number) => void,
): Promise<LocalRunner> {
  const llama: Llama = await getLlama(llamaOptionsFor(options.gpu));
  try {
    const model = await llama.loadModel({
      modelPath,
      gpuLayers: options.gpu === 'cpu' ? 0 : options.gpuLayers,
      onLoadProgress: onProgress,
    });
    const context = await model.createContext({
      contextSize: options.contextSize,
      sequences: options.parallel,
      threads: options.threads,
    });
    // One LlamaChat per sequence, made at load, sharing the first one's chat wrapper: resolving a wrapper
    // renders the Jinja template several times to classify it, far too slow to repeat per chat or sequence.
    const first = new LlamaChat({ contextSequence: context.getSequence() });
    const free: LlamaChat[] = [
      first,
      ...Array.from(
        { length: options.parallel - 1 },
        () => new LlamaChat({ contextSequence: context.getSequence(), chatWrapper: first.chatWrapper }),
      ),
    ];
    const slots = new ConcurrencyLimit(options.parallel);
    const name = model.filename ?? modelPath;

    const chat = async (
      request: ChatRequest,
      { signal, onToken }: { signal: AbortSignal; onToken: (text: string) => void },
    ): Promise<ChatResult> => {
      const history = toHistory(request.messages, name);
      const grammar = request.jsonSchema
        ? await llama.createGrammarForJsonSchema(
            request.jsonSchema as Parameters<Llama['createGrammarForJsonSchema']>[0],
          )
        : undefined;
      const release = await slots.acquire(signal).catch(() => null);
      const clock = new GenerationClock();
      if (!release) return abortedBeforeStart(clock);
      const session = free.pop()!;
      try {
        const promptTokens = session.chatWrapper
          .generateContextState({ chatHistory: history })
          .contextText.tokenize(model.tokenizer).length;
        // The sequence's meter counts every sampled token; text callbacks hold some back (partial UTF-8).
        const outputBefore = session.sequence.tokenMeter.usedOutputTokens;
        const response = await session.generateResponse(history, {
          maxTokens: request.maxTokens,
          temperature: request.temperature,
          ...(request.topP !== undefined ? { topP: request.topP } : {}),
          ...(request.seed !== undefined ? { seed: request.seed } : {}),
          ...(grammar ? { grammar } : {}),
          signal,
          stopOnAbortSignal: true,
          onToken: () => clock.token(0),
          onTextChunk: onToken,
        });
        clock.completionTokens = session.sequence.tokenMeter.usedOutputTokens - outputBefore;
        return {
          text: response.response,
          stopReason: signal.aborted ? 'aborted' : stopReasons[response.metadata.stopReason],
          tokens: { prompt: promptTokens, completion: clock.completionTokens },
          timings: clock.timings(),
        };
      } finally {
        free.push(session);
        release();
      }
    };

    return {
      info: {
        vision: false,
        backend: llama.gpu === false ? 'cpu' : llama.gpu,
        offloadedLayers: model.gpuLayers,
        contextSize: context.contextSize,
        threads: options.threads,
        parallel: options.parallel,
      },
      chat,
      vramBytes: async () => (llama.gpu === false ? null : (await llama.getVramState()).used),
      dispose: () => llama.dispose(),
    };
  } catch (error) {
    await llama.dispose();
    throw error;
  }
}

function abortedBeforeStart(clock: GenerationClock): ChatResult {
  return { text: '', stopReason: 'aborted', tokens: { prompt: 0, completion: 0 }, timings: clock.timings() };
}
