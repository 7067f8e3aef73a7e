import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ApiError } from '../../api/errors';
import type { PerceptualSetting } from '../../api/eval';
import { PerceptualModelError, createPerceptualScorer } from '../perceptual/perceptualScorer';
import type { PerceptualScorer } from '../perceptual/perceptualScorer';

/** What a perceptual score depends on besides the images: the model file's content, family and output. */
export interface PerceptualIdentity {
  family: PerceptualSetting['family'];
  modelSha256: string;
  outputName: string | null;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The scorer's own errors name the file and say what to do; the API carries them as invalid settings. */
function asApiError(error: unknown): unknown {
  if (!(error instanceof PerceptualModelError)) return error;
  return new ApiError({
    code: 'INVALID_PARAMS',
    message: `Perceptual model: ${error.message}`,
    hint: 'Fix settings.perceptual.modelPath (CLI: --perceptual-model FILE), or leave perceptual similarity off.',
  });
}

/** Loads the run's perceptual model once; a missing or broken file fails with an error naming it. */
export async function openPerceptualScorer(setting: PerceptualSetting): Promise<PerceptualScorer> {
  try {
    return await createPerceptualScorer({
      modelPath: setting.modelPath,
      family: setting.family,
      ...(setting.outputName !== undefined && { outputName: setting.outputName }),
    });
  } catch (error) {
    throw asApiError(error);
  }
}

/** The model file's identity, for the metrics cache key and the environment fingerprint. */
export async function perceptualIdentity(setting: PerceptualSetting): Promise<PerceptualIdentity> {
  try {
    return {
      family: setting.family,
      modelSha256: await sha256File(setting.modelPath),
      outputName: setting.outputName ?? null,
    };
  } catch (error) {
    throw new ApiError({
      code: 'INVALID_PARAMS',
      message: `The perceptual model file ${setting.modelPath} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
      hint: 'Check settings.perceptual.modelPath (CLI: --perceptual-model FILE).',
    });
  }
}

/**
 * Checks at run start that the perceptual model loads (file readable, an ONNX graph of a usable shape), so a
 * bad path fails `eval.start` instead of every item; returns its identity for the run's fingerprint.
 */
export async function checkPerceptualModel(
  setting: PerceptualSetting | null | undefined,
): Promise<PerceptualIdentity | null> {
  if (!setting) return null;
  const scorer = await openPerceptualScorer(setting);
  await scorer.dispose();
  return perceptualIdentity(setting);
}
