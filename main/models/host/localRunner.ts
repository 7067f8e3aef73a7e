import type { ChatMessage, ChatRequest, ChatResult } from '../../api/models';
import type { HostLoadedInfo } from './hostProtocol';

/** One loaded model inside a host process, whichever binding runs it. */
export interface LocalRunner {
  readonly info: HostLoadedInfo;
  /** Aborting `signal` resolves with stopReason "aborted" and the text so far. */
  chat(
    request: ChatRequest,
    options: { signal: AbortSignal; onToken: (text: string) => void },
  ): Promise<ChatResult>;
  /** VRAM in use on the device (not only by this model); null where the binding cannot tell. */
  vramBytes(): Promise<number | null>;
  dispose(): Promise<void>;
}

/**
 * Times one generation the same way for every binding, so tokens/s are comparable across engines:
 * first token includes prompt processing; tokens/s covers the tokens after the first.
 */
export class GenerationClock {
  private readonly started = performance.now();
  private firstTokenAt: number | null = null;
  completionTokens = 0;

  token(count = 1): void {
    this.firstTokenAt ??= performance.now();
    this.completionTokens += count;
  }

  timings(): ChatResult['timings'] {
    const now = performance.now();
    const generationMs = this.firstTokenAt === null ? 0 : now - this.firstTokenAt;
    return {
      firstTokenMs: this.firstTokenAt === null ? null : this.firstTokenAt - this.started,
      totalMs: now - this.started,
      tokensPerSecond:
        this.completionTokens > 1 && generationMs > 0
          ? ((this.completionTokens - 1) * 1000) / generationMs
          : null,
    };
  }
}

/** Text of a message, for engines without image input; images there are a caller error, said plainly. */
export function textOnly(message: ChatMessage, modelName: string): string {
  if (typeof message.content === 'string') return message.content;
  return message.content
    .map((part) => {
      if (part.type === 'image')
        throw new Error(
          `${modelName} is a text model and cannot read images; load a vision model with its mmproj projector.`,
        );
      return part.text;
    })
    .join('');
}
