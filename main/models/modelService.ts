import { stat } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiError } from '../api/errors';
import { loadOptionsSchema } from '../api/models';
import type {
  ChatRequest,
  ChatResult,
  FitEstimate,
  GpuBackend,
  LoadOptionsInput,
  LoadedModel,
  ModelFile,
  TestModelSet,
} from '../api/models';
import type { SqliteDatabase } from '../store/sqlite';
import type { ChatCallOptions, ChatModel } from './chatEngine';
import { readGgufSummary } from './ggufInspector';
import type { LocalEngine } from './host/hostProtocol';
import { ModelHost } from './host/modelHost';
import { HostedChatModel } from './hostedChatModel';
import { ModelRegistry } from './modelRegistry';
import { physicalCoreCount } from './physicalCores';
import { writeTestModels } from './testModel/tinyModels';

export interface ModelServiceOptions {
  db: SqliteDatabase;
  dataDir: string;
  /** The bundled host entry; a function so a missing build fails the load, not the engine start. */
  hostEntry: () => string;
  onState: (state: LoadedModel) => void;
  log: (message: string, error?: unknown) => void;
}

export interface LoadRequest {
  model: string;
  mmproj?: string;
  engine?: LocalEngine;
  options?: LoadOptionsInput;
}

/** Load progress arrives in many small steps; the UI needs a few per second at most. */
const PROGRESS_STEP = 0.05;

function crashHint(): string {
  return 'The engine is fine and other models are unaffected; the file may be malformed or unsupported by this llama.cpp build.';
}

/**
 * Local models for the rest of the engine: the registry (what is on disk), "will it fit", and the loaded
 * models, each in its own host process behind the ChatModel interface.
 */
export class ModelService {
  readonly registry: ModelRegistry;
  private readonly loaded = new Map<string, HostedChatModel>();
  private readonly fits = new Map<string, FitEstimate>();
  private disposed = false;

  constructor(private readonly options: ModelServiceOptions) {
    this.registry = new ModelRegistry(options.db, join(options.dataDir, 'models'));
  }

  list(): Promise<ModelFile[]> {
    return this.registry.list();
  }

  inspect(model: string): Promise<ModelFile> {
    return this.registry.resolve(model);
  }

  async add(params: {
    path: string;
    mmproj?: string;
    name?: string;
  }): Promise<{ folder: string | null; models: ModelFile[] }> {
    const path = resolve(params.path);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      throw new ApiError({ code: 'NOT_FOUND', message: `${path} does not exist.` });
    }
    if (isDirectory) {
      if (params.mmproj || params.name)
        throw new ApiError({
          code: 'INVALID_PARAMS',
          message: '--mmproj and --name apply to a model file, not a folder.',
        });
      this.registry.addFolder(path);
      const models = (await this.registry.list()).filter((m) => m.path.startsWith(`${path}/`));
      return { folder: path, models };
    }
    const model = await this.registry.register(path, {
      ...(params.name ? { name: params.name } : {}),
      ...(params.mmproj ? { mmprojPath: params.mmproj } : {}),
    });
    return { folder: null, models: [model] };
  }

  remove(name: string): { removed: boolean } {
    return { removed: this.registry.remove(name) };
  }

  /** Runs node-llama-cpp's insights in a short-lived host: probing the GPU loads native code. */
  async fit(
    params: { model: string; contextSize?: number; gpu?: GpuBackend },
    signal?: AbortSignal,
  ): Promise<FitEstimate> {
    const file = await this.loadable(params.model);
    const gpu = params.gpu ?? 'auto';
    const contextSize = params.contextSize ?? 4096;
    // An estimate costs a host start (the GPU probe loads native code); the answer only changes with the file.
    const { mtimeMs, size } = await stat(file.path);
    const cacheKey = JSON.stringify([file.path, mtimeMs, size, gpu, contextSize]);
    const cached = this.fits.get(cacheKey);
    if (cached) return cached;
    const host = await ModelHost.start({ entry: this.options.hostEntry(), label: file.name });
    const onAbort = () => host.kill();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const estimate = await host.fit(file.path, gpu, contextSize);
      this.fits.set(cacheKey, estimate);
      return estimate;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await host.shutdown();
    }
  }

  /** Validates the files, starts a host, loads; aborting `signal` kills the host mid-load. */
  async load(request: LoadRequest, signal?: AbortSignal): Promise<LoadedModel> {
    if (this.disposed) throw new ApiError({ code: 'CONFLICT', message: 'The engine is shutting down.' });
    const file = await this.loadable(request.model);
    const mmprojPath = request.mmproj ? resolve(request.mmproj) : file.mmprojPath;
    if (mmprojPath) await this.registry.checkProjector(mmprojPath, await readGgufSummary(file.path));
    const engine: LocalEngine = request.engine ?? (mmprojPath ? 'llama.node' : 'node-llama-cpp');
    if (engine === 'node-llama-cpp' && mmprojPath && request.mmproj)
      throw new ApiError({
        code: 'INVALID_PARAMS',
        message: 'node-llama-cpp has no image input yet; load vision models with the llama.node engine.',
      });
    const parsed = loadOptionsSchema.parse(request.options ?? {});
    const options = { ...parsed, threads: parsed.threads ?? physicalCoreCount() };
    const vision = engine === 'llama.node' && mmprojPath !== null;

    const host = await ModelHost.start({ entry: this.options.hostEntry(), label: file.name });
    const id = randomUUID().slice(0, 8);
    const model = new HostedChatModel(id, file.name, engine, host, vision, (state) =>
      this.options.onState(state),
    );
    this.loaded.set(id, model);
    model.update({});
    const onAbort = () => host.kill();
    signal?.addEventListener('abort', onAbort, { once: true });
    let reported = 0;
    try {
      const info = await host.load(engine, file.path, vision ? mmprojPath : null, options, (progress) => {
        if (progress - reported < PROGRESS_STEP && progress < 1) return;
        reported = progress;
        model.update({ progress });
      });
      model.update({
        state: 'ready',
        progress: 1,
        gpu: { backend: info.backend, offloadedLayers: info.offloadedLayers },
      });
      await model.refreshMemory();
      return model.describe();
    } catch (error) {
      this.loaded.delete(id);
      host.kill();
      const message = error instanceof Error ? error.message : String(error);
      // A host that died has already reported itself failed (HostedChatModel's exit listener).
      if (model.describe().state !== 'failed') model.update({ state: 'failed', error: message });
      if (signal?.aborted)
        throw new ApiError({ code: 'CANCELLED', message: `Loading ${file.name} was cancelled.` });
      throw new ApiError({ code: 'INTERNAL', message, hint: crashHint() });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** A loaded model by id, for the services that generate (eval, captioning, judges). */
  get(id: string): ChatModel {
    const model = this.loaded.get(id);
    if (!model)
      throw new ApiError({
        code: 'NOT_FOUND',
        message: `No loaded model with id ${id}.`,
        hint: 'Load one with models.load (codepercept models run loads and unloads by itself).',
      });
    return model;
  }

  async chat(id: string, request: ChatRequest, options: ChatCallOptions = {}): Promise<ChatResult> {
    const model = this.get(id);
    try {
      return await model.chat(request, options);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError({
        code: 'INTERNAL',
        message: error instanceof Error ? error.message : String(error),
        hint: crashHint(),
      });
    }
  }

  async unload(id: string): Promise<{ unloaded: boolean }> {
    const model = this.loaded.get(id);
    if (!model) return { unloaded: false };
    this.loaded.delete(id);
    await model.unload();
    return { unloaded: true };
  }

  async loadedModels(): Promise<LoadedModel[]> {
    const models = [...this.loaded.values()];
    await Promise.all(models.map((m) => m.refreshMemory()));
    return models.map((m) => m.describe());
  }

  makeTestModels(dir?: string): TestModelSet {
    return writeTestModels(resolve(dir ?? join(this.options.dataDir, 'models', 'test')));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const models = [...this.loaded.values()];
    this.loaded.clear();
    await Promise.all(
      models.map((m) => m.unload().catch((e: unknown) => this.options.log(`unloading ${m.name} failed`, e))),
    );
  }

  /** A model file that can be loaded: exists, reads as whole GGUF, is not a projector. */
  private async loadable(reference: string): Promise<ModelFile> {
    const file = await this.registry.resolve(reference);
    if (file.error) throw new ApiError({ code: 'INVALID_PARAMS', message: file.error });
    if (file.format !== 'gguf')
      throw new ApiError({
        code: 'INVALID_PARAMS',
        message: `${file.path} is an ONNX model; only GGUF models load here.`,
      });
    if (file.isProjector)
      throw new ApiError({
        code: 'INVALID_PARAMS',
        message: `${file.path} is a vision projector (mmproj); load the language model with --mmproj ${file.path}.`,
      });
    return file;
  }
}
