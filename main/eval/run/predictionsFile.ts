import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ApiError } from '../../api/errors';
import type { PredictionsSpec } from '../../api/eval';

/** One answer produced elsewhere. `isCode`: the official results hold already-extracted code. */
export interface Prediction {
  response: string;
  isCode: boolean;
  latencyMs: number | null;
  tokens: number | null;
}

const oursLineSchema = z.object({
  uid: z.union([z.string(), z.number()]).transform(String),
  /** Which of the item's answers (runs with several samples per item); absent: 0. */
  sample: z.number().int().min(0).max(63).optional(),
  response: z.string(),
  model: z.string().optional(),
  latency_ms: z.number().nullable().optional(),
  tokens: z.number().int().nullable().optional(),
});

/** The official results JSONL: `uuid`, `initial_response` (the extracted code) and the published scores. */
const officialLineSchema = z.object({
  uuid: z.union([z.string(), z.number()]).transform(String),
  initial_response: z.string().nullable(),
});

/** A predictions file's answers by uid and sample. */
export interface Predictions {
  get(uid: string, sample: number): Prediction | undefined;
  /** 1 + the highest sample any line names (1 when no line names one). */
  samplesPerItem: number;
  /** The file, for messages. */
  path: string;
}

const answerKey = (uid: string, sample: number) => `${sample}\u0000${uid}`;

/**
 * Reads a predictions file into (uid, sample) → prediction. A bad line fails the whole read with its line
 * number and field: scoring half a file silently would report a wrong Exec Rate.
 */
export async function readPredictions(spec: PredictionsSpec): Promise<Predictions> {
  let text: string;
  try {
    text = await readFile(spec.path, 'utf8');
  } catch (error) {
    throw new ApiError({
      code: 'NOT_FOUND',
      message: `Cannot read the predictions file ${spec.path}: ${(error as Error).message}.`,
    });
  }
  const out = new Map<string, Prediction>();
  let samplesPerItem = 1;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const where = `${spec.path}:${i + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new ApiError({
        code: 'INVALID_PARAMS',
        message: `${where}: not JSON (${(error as Error).message}).`,
      });
    }
    const prediction = parseLine(json, spec.format, where);
    const key = answerKey(prediction.uid, prediction.sample);
    if (out.has(key))
      throw new ApiError({
        code: 'INVALID_PARAMS',
        message:
          prediction.sample === 0
            ? `${where}: uid "${prediction.uid}" appears twice; each item takes one prediction (or give each line a distinct "sample").`
            : `${where}: uid "${prediction.uid}" sample ${prediction.sample} appears twice; each sample of an item takes one prediction.`,
      });
    out.set(key, prediction.value);
    samplesPerItem = Math.max(samplesPerItem, prediction.sample + 1);
  }
  return { get: (uid, sample) => out.get(answerKey(uid, sample)), samplesPerItem, path: spec.path };
}

/**
 * Whether a predictions file can answer `samples` samples per item: the official results hold one answer per
 * item; ours must name samples 0 … samples − 1 with a `sample` field, and a file naming higher samples than
 * the run takes is refused rather than partly ignored.
 */
export function checkPredictionSamples(
  spec: PredictionsSpec,
  predictions: Predictions,
  samples: number,
): void {
  if (samples > 1 && spec.format === 'official')
    throw new ApiError({
      code: 'INVALID_PARAMS',
      message: `settings.samples is ${samples}, but an official results file (${spec.path}) holds one answer per item.`,
      hint: 'Use 1 sample per item, or convert the answers to our format with a "sample" field per line.',
    });
  if (predictions.samplesPerItem < samples)
    throw new ApiError({
      code: 'INVALID_PARAMS',
      message: `settings.samples is ${samples}, but ${spec.path} has ${predictions.samplesPerItem === 1 ? 'no line with a "sample" field (one answer per item)' : `answers for samples 0–${predictions.samplesPerItem - 1} only`}.`,
      hint: `Give each line {"uid", "sample": 0…${samples - 1}, "response"}, or run with --samples ${predictions.samplesPerItem}.`,
    });
  if (predictions.samplesPerItem > samples)
    throw new ApiError({
      code: 'INVALID_PARAMS',
      message: `${spec.path} has answers for samples 0–${predictions.samplesPerItem - 1}, but settings.samples is ${samples}: the answers of the higher samples would be left out.`,
      hint: `Run with --samples ${predictions.samplesPerItem} (the "Samples per item" setting).`,
    });
}

function parseLine(
  json: unknown,
  format: PredictionsSpec['format'],
  where: string,
): { uid: string; sample: number; value: Prediction } {
  const schema = format === 'official' ? officialLineSchema : oursLineSchema;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const expected = format === 'official' ? '{"uuid", "initial_response", ...}' : '{"uid", "response", ...}';
    throw new ApiError({
      code: 'INVALID_PARAMS',
      message: `${where}: field "${issue.path.join('.') || '(line)'}": ${issue.message} (a ${format} predictions line is ${expected}).`,
      hint:
        format === 'official'
          ? 'Is this our predictions format? Use --predictions-format ours.'
          : 'Is this an official results file? Use --predictions-format official.',
    });
  }
  if ('uuid' in parsed.data) {
    const data = parsed.data as z.output<typeof officialLineSchema>;
    return {
      uid: data.uuid,
      sample: 0,
      value: { response: data.initial_response ?? '', isCode: true, latencyMs: null, tokens: null },
    };
  }
  const data = parsed.data as z.output<typeof oursLineSchema>;
  return {
    uid: data.uid,
    sample: data.sample ?? 0,
    value: {
      response: data.response,
      isCode: false,
      latencyMs: data.latency_ms ?? null,
      tokens: data.tokens ?? null,
    },
  };
}
