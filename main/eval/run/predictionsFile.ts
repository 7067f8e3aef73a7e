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

/**
 * Reads a predictions file into uid → prediction. A bad line fails the whole read with its line number and
 * field: scoring half a file silently would report a wrong Exec Rate.
 */
export async function readPredictions(spec: PredictionsSpec): Promise<Map<string, Prediction>> {
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
    if (out.has(prediction.uid))
      throw new ApiError({
        code: 'INVALID_PARAMS',
        message: `${where}: uid "${prediction.uid}" appears twice; each item takes one prediction.`,
      });
    out.set(prediction.uid, prediction.value);
  }
  return out;
}

function parseLine(
  json: unknown,
  format: PredictionsSpec['format'],
  where: string,
): { uid: string; value: Prediction } {
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
      value: { response: data.initial_response ?? '', isCode: true, latencyMs: null, tokens: null },
    };
  }
  const data = parsed.data as z.output<typeof oursLineSchema>;
  return {
    uid: data.uid,
    value: {
      response: data.response,
      isCode: false,
      latencyMs: data.latency_ms ?? null,
      tokens: data.tokens ?? null,
    },
  };
}
