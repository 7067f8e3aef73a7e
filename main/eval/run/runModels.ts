import { ApiError } from '../../api/errors';
import type { ModelSpec } from '../../api/eval';
import type { ChatModel } from '../../models/chatEngine';
import type { EndpointRegistry } from '../../models/endpointRegistry';
import type { ModelService } from '../../models/modelService';

export interface RunModelSources {
  models?: ModelService;
  endpoints?: EndpointRegistry;
}

/** Roles that read text only; every other role is shown images (scaling solvers answer from a description). */
const TEXT_ONLY_ROLES = new Set(['code judge', 'solver']);

/** How a model spec reads in a run list: the file, or the endpoint. */
export function describeModelSpec(spec: ModelSpec): string {
  return spec.kind === 'local' ? spec.model : `endpoint:${spec.endpoint}`;
}

/**
 * The models one run talks to (the model under test and the judges), each resolved once: a local GGUF is
 * loaded into its own host on first use and unloaded when the run stops; an endpoint is the registry's shared
 * engine, so its concurrency limit holds across everything using it. Specs that are equal share one model.
 */
export class RunModels {
  private readonly resolved = new Map<string, Promise<ChatModel>>();
  private readonly loadedIds: string[] = [];

  constructor(private readonly sources: RunModelSources) {}

  acquire(spec: ModelSpec, role: string, signal?: AbortSignal): Promise<ChatModel> {
    const key = JSON.stringify(spec);
    let model = this.resolved.get(key);
    if (!model) {
      model = this.resolve(spec, role, signal);
      // A failed load is not remembered: a resume tries again.
      model.catch(() => this.resolved.delete(key));
      this.resolved.set(key, model);
    }
    return model;
  }

  async dispose(): Promise<void> {
    const { models } = this.sources;
    this.resolved.clear();
    const ids = this.loadedIds.splice(0);
    if (models) await Promise.allSettled(ids.map((id) => models.unload(id)));
  }

  private async resolve(spec: ModelSpec, role: string, signal?: AbortSignal): Promise<ChatModel> {
    if (spec.kind === 'endpoint') {
      if (!this.sources.endpoints)
        throw new ApiError({
          code: 'INTERNAL',
          message: 'Remote endpoints are not available in this engine.',
        });
      return this.sources.endpoints.engine(spec.endpoint);
    }
    const { models } = this.sources;
    if (!models)
      throw new ApiError({ code: 'INTERNAL', message: 'Local models are not available in this engine.' });
    const loaded = await models.load(
      {
        model: spec.model,
        ...(spec.mmproj ? { mmproj: spec.mmproj } : {}),
        ...(spec.options ? { options: spec.options } : {}),
      },
      signal,
    );
    this.loadedIds.push(loaded.id);
    const model = models.get(loaded.id);
    if (!TEXT_ONLY_ROLES.has(role) && !model.vision)
      throw new ApiError({
        code: 'INVALID_PARAMS',
        message: `${loaded.name} takes no images, so it cannot be the ${role}.`,
        hint: 'Pick a vision model: a GGUF with its mmproj (--mmproj), or a vision endpoint.',
      });
    return model;
  }
}
