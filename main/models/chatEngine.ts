import type { ChatRequest, ChatResult, EngineKind, LoadedModel } from '../api/models';

export interface LoadProgress {
  /** 0..1. */
  progress: number;
}

export interface ChatCallOptions {
  signal?: AbortSignal;
  /** Each streamed piece of text, in order. */
  onToken?: (text: string) => void;
}

/**
 * One loaded model, whatever runs it: a node-llama-cpp or @fugood/llama.node host process, or a remote
 * OpenAI-compatible server. Every model-driven feature (benchmark generation, judges, captioners, solvers)
 * talks to this and nothing else.
 */
export interface ChatModel {
  readonly kind: EngineKind;
  /** Accepts image parts. */
  readonly vision: boolean;
  /** Current state for the Models page (progress, memory, GPU). */
  describe(): LoadedModel;
  /**
   * Answers a chat. Aborting `signal` stops generation and resolves with stopReason "aborted" and the text so
   * far; a failure of the host or server rejects with an Error whose message says what happened.
   */
  chat(request: ChatRequest, options?: ChatCallOptions): Promise<ChatResult>;
  /** Frees the model (ends the host process for local engines). Idempotent. */
  unload(): Promise<void>;
}
