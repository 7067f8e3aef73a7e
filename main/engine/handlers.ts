import { ApiError } from '../api/errors';
import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import type { Chunk, MethodName, Methods, Result } from '../api/contract';
import type { EnvironmentCheck } from '../api/system';
import type { DatasetCatalog } from '../datasets/datasetCatalog';
import type { EvalService } from '../eval/run/evalService';
import { auditJudgeOnBenchmark } from '../eval/judges/auditService';
import { buildRunReport } from '../eval/report/runReport';
import { itemOverlay } from '../eval/run/itemOverlay';
import { inThreadMetrics } from '../eval/metrics/metricsComputer';
import type { MetricsComputer } from '../eval/metrics/metricsComputer';
import { checkPythonPath } from '../render/pythonDiscovery';
import { readTrace } from '../render/storedTrace';
import { ItemVerifier } from '../datasets/verification';
import { VERIFY_JOB_TYPE } from '../datasets/verificationJob';
import { rerenderItem } from '../datasets/verificationRerender';
import { VerificationRepository } from '../datasets/verificationRepository';
import type { JobQueue } from '../jobs/jobQueue';
import type { ChatRequest, ChatResult } from '../api/models';
import type { ChatCallOptions } from '../models/chatEngine';
import type { EndpointRegistry } from '../models/endpointRegistry';
import type { ModelService } from '../models/modelService';
import { EndpointError } from '../models/openaiEngine';
import type { RenderService } from '../render/renderService';
import type { StudyService } from '../scaling/studyService';
import type { ExternalResultStore } from '../scaling/external/externalResultStore';
import type { WorkbenchStore } from '../store/workbenchStore';

export interface CallContext<M extends MethodName> {
  signal: AbortSignal;
  emitChunk: (chunk: Chunk<M>) => void;
  transport: string;
}

export type Handler<M extends MethodName> = (
  params: z.output<Methods[M]['params']>,
  ctx: CallContext<M>,
) => Promise<Result<M>> | Result<M>;

/** The type makes a missing handler a compile error: every method in the contract is served. */
export type Handlers = { [M in MethodName]: Handler<M> };

export interface HandlerDeps {
  store: WorkbenchStore;
  jobs: JobQueue;
  render: RenderService;
  catalog: DatasetCatalog;
  /** Local models; absent where an engine is assembled without them (some benchmarks). */
  models?: ModelService;
  endpoints?: EndpointRegistry;
  /** STEM2Code-Eval runs; absent where an engine is assembled without them. */
  evals?: EvalService;
  /** Perception/reasoning scaling studies; absent where an engine is assembled without them. */
  scaling?: StudyService;
  /** The engine's metrics pool; absent in some benchmarks, where re-renders are compared on this thread. */
  metrics?: MetricsComputer;
  /** Published numbers stored to overlay on scaling charts; absent where an engine is assembled without them. */
  externalResults?: ExternalResultStore;
  version: string;
  startedAt: number;
  stats: () => { activeCalls: number; connections: number };
  environment: (recheck: boolean) => Promise<{ checks: EnvironmentCheck[]; checkedAt: number }>;
}

/** `models.chat` ids of this form chat with a configured OpenAI-compatible endpoint instead of a local model. */
const ENDPOINT_PREFIX = 'openai:';

async function chatWithEndpoint(
  registry: EndpointRegistry,
  name: string,
  request: ChatRequest,
  options: ChatCallOptions,
): Promise<ChatResult> {
  const engine = registry.engine(name);
  try {
    return await engine.chat(request, options);
  } catch (error) {
    // Endpoint failures are the user's server or settings, not an engine bug: say so with the server's words.
    if (error instanceof EndpointError) throw new ApiError({ code: 'CONFLICT', message: error.message });
    throw error;
  }
}

function noScaling(): never {
  throw new ApiError({ code: 'INTERNAL', message: 'Scaling studies are not available in this engine.' });
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const { store, jobs, render, catalog } = deps;
  const models = (): ModelService => {
    if (!deps.models)
      throw new ApiError({ code: 'INTERNAL', message: 'Local models are not available in this engine.' });
    return deps.models;
  };
  const endpoints = (): EndpointRegistry => {
    if (!deps.endpoints)
      throw new ApiError({ code: 'INTERNAL', message: 'Remote endpoints are not available in this engine.' });
    return deps.endpoints;
  };
  const evals = (): EvalService => {
    if (!deps.evals)
      throw new ApiError({ code: 'INTERNAL', message: 'Evaluation runs are not available in this engine.' });
    return deps.evals;
  };
  const externalResults = (): ExternalResultStore => {
    if (!deps.externalResults)
      throw new ApiError({ code: 'INTERNAL', message: 'External results are not available in this engine.' });
    return deps.externalResults;
  };
  const scaling = (): StudyService => {
    if (!deps.scaling) noScaling();
    return deps.scaling;
  };
  const rerender = {
    items: catalog.items,
    verifier: new ItemVerifier(render, store.blobs, deps.metrics ?? inThreadMetrics),
    verifications: new VerificationRepository(store.db),
  };
  return {
    'system.health': () => {
      const stats = deps.stats();
      // Not counting this health call itself: "0 active calls" should mean the engine is idle.
      return {
        ok: true,
        version: deps.version,
        uptimeMs: Date.now() - deps.startedAt,
        ...stats,
        activeCalls: stats.activeCalls - 1,
      };
    },
    'system.info': async (params, ctx) => {
      const env = await deps.environment(params.recheck ?? false);
      return {
        version: deps.version,
        dataDir: store.dataDir,
        dbPath: store.dbPath,
        transport: ctx.transport,
        ...env,
      };
    },
    'settings.get': () => store.settings.get(),
    'settings.update': async (patch, ctx) => {
      // The interpreter runs on the host: a path is probed (isolated, from /) and refused unless it is a
      // Python that imports matplotlib and numpy, before anything else could run it.
      if (patch.pythonPath && patch.pythonPath !== store.settings.get().pythonPath) {
        const problem = await checkPythonPath(patch.pythonPath, ctx.signal);
        if (problem) {
          throw new ApiError({
            code: 'INVALID_PARAMS',
            message: `pythonPath: ${problem}`,
            hint: 'Choose an interpreter with matplotlib and numpy (Debian: /usr/bin/python3 with python3-matplotlib), or clear the field for automatic discovery.',
          });
        }
      }
      return store.settings.update(patch);
    },
    'jobs.list': (params) => jobs.list(params.limit),
    'jobs.get': (params) => jobs.get(params.id),
    'jobs.start': (params) => jobs.start(params.type, params.params),
    'jobs.cancel': (params) => jobs.cancel(params.id),
    'jobs.pause': (params) => jobs.pause(params.id),
    'jobs.resume': (params) => jobs.resume(params.id),
    'render.run': (params, ctx) =>
      render.render(params.code, params.options ?? {}, {
        signal: ctx.signal,
        useCache: params.useCache ?? true,
        withDataUrl: params.withDataUrl ?? false,
      }),
    'render.health': async (params) => {
      // Starting may fail (no Python); the health then carries the error rather than the call failing.
      if (params.start) await render.start().catch(() => undefined);
      return render.health();
    },
    'datasets.list': () => catalog.datasets.list(),
    'datasets.import': (params) => catalog.startImport(params),
    'datasets.errors': (params) => catalog.errors(params.jobId),
    'items.page': (params) => {
      catalog.datasets.get(params.datasetId);
      return catalog.items.page(params);
    },
    'items.get': (params) => catalog.items.get(params.id),
    'items.facets': (params) => {
      catalog.datasets.get(params.datasetId);
      return catalog.facets.facets(params);
    },
    'media.thumbnail': (params) => catalog.media.thumbnail(params.sha256),
    'media.image': (params) => catalog.media.image(params.sha256),
    'datasets.verify': (params) => {
      catalog.datasets.get(params.datasetId);
      return jobs.start(VERIFY_JOB_TYPE, params);
    },
    'items.rerender': ({ id, ...thresholds }, ctx) => rerenderItem(rerender, id, thresholds, ctx.signal),
    'items.search': (params) => {
      catalog.datasets.get(params.datasetId);
      return catalog.search.search(params.datasetId, params.query, params.limit);
    },
    'items.tag': (params) => catalog.items.tag(params.id, params.tag),
    'items.untag': (params) => catalog.items.untag(params.id, params.tag),
    'items.setNote': (params) => catalog.items.setNote(params.id, params.note),
    'models.list': () => models().list(),
    'models.inspect': (params) => models().inspect(params.model),
    'models.folders': () => models().registry.folders(),
    'models.add': (params) => models().add(params),
    'models.remove': (params) => models().remove(params.name),
    'models.fit': (params, ctx) => models().fit(params, ctx.signal),
    'models.load': (params, ctx) => models().load(params, ctx.signal),
    'models.unload': (params) => models().unload(params.id),
    'models.loaded': () => models().loadedModels(),
    'models.chat': (params, ctx) => {
      const callOptions = { signal: ctx.signal, onToken: (text: string) => ctx.emitChunk({ text }) };
      if (params.id.startsWith(ENDPOINT_PREFIX))
        return chatWithEndpoint(
          endpoints(),
          params.id.slice(ENDPOINT_PREFIX.length),
          params.request,
          callOptions,
        );
      return models().chat(params.id, params.request, callOptions);
    },
    'endpoints.list': () => endpoints().list(),
    'endpoints.save': (params) => endpoints().save(params),
    'endpoints.remove': (params) => ({ removed: endpoints().remove(params.name) }),
    'endpoints.test': (params, ctx) => endpoints().test(params, ctx.signal),
    'eval.start': (params) => evals().start(params),
    'eval.runs': (params) => evals().list(params.limit),
    'eval.run': (params) => evals().detail(params.id),
    'eval.items': (params) => evals().items(params),
    'eval.item': (params) => evals().item(params.runId, params.itemId, params.sample),
    'eval.overlay': (params) =>
      itemOverlay(
        {
          item: (runId, itemId, sample) => evals().item(runId, itemId, sample),
          readBlob: (sha256) => store.blobs.read(sha256),
        },
        params,
      ),
    'eval.auditJudge': (params, ctx) =>
      auditJudgeOnBenchmark(
        {
          store,
          runs: evals().runs,
          ...(deps.models && { models: deps.models }),
          ...(deps.endpoints && { endpoints: deps.endpoints }),
        },
        params,
        { signal: ctx.signal, onProgress: (done, total) => ctx.emitChunk({ done, total }) },
      ),
    'eval.compare': (params) => evals().compare(params.a, params.b),
    'eval.report': (params) =>
      buildRunReport(
        { evals: evals(), thumbnail: (sha256) => catalog.media.thumbnail(sha256) },
        params.id,
        params.format,
      ),
    'trace.get': (params) => readTrace(store.blobs, params.sha256),
    'scaling.start': (params) => scaling().start(params),
    'scaling.studies': (params) => scaling().list(params.limit),
    'scaling.study': (params) => scaling().detail(params.id),
    'scaling.items': (params) => scaling().items(params),
    'scaling.setParameters': (params) => scaling().setParameters(params),
    'scaling.external.list': () => externalResults().list(),
    'scaling.external.import': (params) => externalResults().import(params),
    'scaling.external.remove': (params) => ({ removed: externalResults().remove(params.id) }),
    'models.makeTestModel': (params) => models().makeTestModels(params.dir),
    'demo.ticks': async (params, ctx) => {
      for (let index = 0; index < params.count; index++) {
        await sleep(params.intervalMs, undefined, { signal: ctx.signal });
        ctx.emitChunk({ index });
      }
      return { emitted: params.count };
    },
  };
}
