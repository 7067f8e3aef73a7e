import { statSync } from 'node:fs';
import { ApiError } from '../api/errors';
import type { ModelSpec } from '../api/eval';
import type { StudyModel } from '../api/scaling';
import type { EndpointRegistry } from '../models/endpointRegistry';
import type { ModelService } from '../models/modelService';
import type { StoredModel } from './studyStore';

export interface ResolvedModel {
  identity: string;
  /** The GGUF's parameter count (sum of tensor elements); null for endpoints. */
  ggufParameters: number | null;
  /** Takes images (a GGUF with a projector, or any endpoint: the server decides). */
  vision: boolean;
}

function fileIdentity(path: string): string {
  const stat = statSync(path);
  return `${path}|${stat.size}|${Math.floor(stat.mtimeMs)}`;
}

/**
 * What a study needs to know about a model before it runs: that it exists (the error names the field), its
 * identity for the caption cache (file path + size + mtime, or endpoint URL + model name) and its size.
 */
export async function resolveStudyModel(
  sources: { models?: ModelService; endpoints?: EndpointRegistry },
  spec: ModelSpec,
  field: string,
): Promise<ResolvedModel> {
  if (spec.kind === 'endpoint') {
    if (!sources.endpoints)
      throw new ApiError({ code: 'INTERNAL', message: 'Remote endpoints are not available in this engine.' });
    let endpoint;
    try {
      endpoint = sources.endpoints.get(spec.endpoint);
    } catch {
      throw new ApiError({
        code: 'INVALID_PARAMS',
        message: `${field}: no endpoint named "${spec.endpoint}".`,
        hint: 'Add it under Models → Endpoints (or codepercept endpoints add).',
      });
    }
    return { identity: `endpoint|${endpoint.baseUrl}|${endpoint.model}`, ggufParameters: null, vision: true };
  }
  if (!sources.models)
    throw new ApiError({ code: 'INTERNAL', message: 'Local models are not available in this engine.' });
  let file;
  try {
    file = await sources.models.inspect(spec.model);
  } catch (error) {
    throw new ApiError({
      code: 'INVALID_PARAMS',
      message: `${field}: ${error instanceof Error ? error.message : String(error)}`,
      hint: 'Register a model with: codepercept models add PATH --name NAME',
    });
  }
  if (file.error) throw new ApiError({ code: 'INVALID_PARAMS', message: `${field}: ${file.error}` });
  const mmproj = spec.mmproj ?? file.mmprojPath;
  const identity = [`local|${fileIdentity(file.path)}`, mmproj ? `mmproj|${fileIdentity(mmproj)}` : ''].join(
    '|',
  );
  return { identity, ggufParameters: file.parameterCount, vision: mmproj !== null && mmproj !== undefined };
}

/** The size shown for a model: a person's value wins, then the GGUF's, else none. */
export function studyModelView(
  model: StoredModel,
  role: 'captioner' | 'solver',
  overrides: ReadonlyMap<string, number>,
): StudyModel {
  const user = overrides.get(`${role}:${model.label}`);
  if (user !== undefined)
    return { label: model.label, spec: model.spec, parameters: user, parametersSource: 'user' };
  if (model.ggufParameters !== null)
    return {
      label: model.label,
      spec: model.spec,
      parameters: model.ggufParameters,
      parametersSource: 'gguf',
    };
  return { label: model.label, spec: model.spec, parameters: null, parametersSource: 'none' };
}
