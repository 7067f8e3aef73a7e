import { createHash } from 'node:crypto';
import type { CaptionVariant } from '../api/scaling';
import { PROMPT_VERSION, captionPromptText } from './prompts';

export interface CaptionKeyInput {
  /** The model's identity (modelParameters.modelIdentity). */
  identity: string;
  variant: CaptionVariant;
  imageSha256: string;
  maxTokens: number;
  temperature: number;
  seed: number;
}

/**
 * The cross-study cache key of one caption: the same model (by file or endpoint), prompt (text, variant and
 * version), image and sampling settings give the same caption, so it is computed once for every study. Any
 * change to one of them is a new key; nothing stale is ever served.
 */
export function captionCacheKey(input: CaptionKeyInput): string {
  const material = JSON.stringify({
    model: input.identity,
    variant: input.variant,
    promptVersion: PROMPT_VERSION,
    prompt: captionPromptText(input.variant),
    image: input.imageSha256,
    maxTokens: input.maxTokens,
    temperature: input.temperature,
    seed: input.seed,
  });
  return createHash('sha256').update(material).digest('hex');
}
