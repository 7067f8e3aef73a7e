import type { Params } from '../../../main/api/contract';
import type { EndpointView } from '../../../main/api/endpoints';
import type { ChatMessage, LoadedModel } from '../../../main/api/models';
import { readDecimal, readInteger } from './formFields';

/** Something the playground can talk to: a ready local model or a configured endpoint. */
export interface ChatTarget {
  /** The id models.chat takes: a loaded model's id, or `openai:<endpoint name>`. */
  id: string;
  label: string;
  kind: 'local' | 'endpoint';
  /** False only where the model is known to take no images (a local text model). */
  acceptsImages: boolean;
}

export const ENDPOINT_TARGET_PREFIX = 'openai:';

export function chatTargets(ready: readonly LoadedModel[], endpoints: readonly EndpointView[]): ChatTarget[] {
  return [
    ...ready.map((m) => ({
      id: m.id,
      label: `${m.name.split(/[\\/]/).pop() ?? m.name} · ${m.engine}${m.vision ? ' · vision' : ''}`,
      kind: 'local' as const,
      acceptsImages: m.vision,
    })),
    ...endpoints.map((e) => ({
      id: `${ENDPOINT_TARGET_PREFIX}${e.name}`,
      label: `${e.name} · ${e.model} (endpoint)`,
      kind: 'endpoint' as const,
      acceptsImages: true,
    })),
  ];
}

export interface ChatFormValues {
  target: string;
  prompt: string;
  /** The picked image as a data URL, or null. */
  image: string | null;
  imageName: string | null;
  maxTokens: string;
  seed: string;
  temperature: string;
}

export const chatFormLimits = {
  maxTokens: { min: 1, max: 1_000_000 },
  temperature: { min: 0, max: 5 },
  seed: { min: -2_147_483_648, max: 4_294_967_295 },
} as const;

export const defaultChatForm: ChatFormValues = {
  target: '',
  prompt: '',
  image: null,
  imageName: null,
  maxTokens: '256',
  seed: '',
  temperature: '0',
};

export type ChatFormReading =
  { params: Params<'models.chat'>; problem: null } | { params: null; problem: string };

/** The models.chat parameters for one user turn, or the first thing that keeps Run from working. */
export function readChatForm(values: ChatFormValues, targets: readonly ChatTarget[]): ChatFormReading {
  const target = targets.find((t) => t.id === values.target);
  if (!target) return { params: null, problem: 'Load a model or add an endpoint, then choose it here.' };
  if (values.prompt.trim() === '') return { params: null, problem: 'Write a prompt.' };
  if (values.image !== null && !target.acceptsImages)
    return {
      params: null,
      problem: `${target.label} is a text model; remove the image or load a vision model (with its mmproj).`,
    };
  const maxTokens = readInteger(values.maxTokens, chatFormLimits.maxTokens);
  if (maxTokens === null)
    return { params: null, problem: 'Max tokens must be a whole number from 1 to 1 000 000.' };
  const temperature = readDecimal(values.temperature, chatFormLimits.temperature);
  if (temperature === null) return { params: null, problem: 'Temperature must be a number from 0 to 5.' };
  const seed = values.seed.trim() === '' ? undefined : readInteger(values.seed, chatFormLimits.seed);
  if (seed === null)
    return { params: null, problem: 'Seed must be a whole number (or empty for a random one).' };
  const message: ChatMessage = {
    role: 'user',
    content:
      values.image === null
        ? values.prompt
        : [
            { type: 'image', image: values.image },
            { type: 'text', text: values.prompt },
          ],
  };
  return {
    params: {
      id: target.id,
      request: { messages: [message], maxTokens, temperature, ...(seed === undefined ? {} : { seed }) },
    },
    problem: null,
  };
}

/**
 * Tokens per second while the answer streams: each chunk carries about one token, counted from the first
 * chunk (prompt processing is not generation). Null until two chunks have arrived.
 */
export function liveTokensPerSecond(chunks: number, firstChunkAt: number | null, now: number): number | null {
  if (firstChunkAt === null || chunks < 2 || now <= firstChunkAt) return null;
  return ((chunks - 1) * 1000) / (now - firstChunkAt);
}
