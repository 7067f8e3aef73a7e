import type { Channel } from '../api/protocol';
import type { EnvironmentCheck } from '../api/system';
import { loadBundledSample } from '../datasets/bundledSample';
import { DatasetCatalog } from '../datasets/datasetCatalog';
import { createImportJob } from '../datasets/importers/importJob';
import { createVerificationJob } from '../datasets/verificationJob';
import type { MetricsComputer } from '../eval/metrics/metricsComputer';
import { MetricsPool } from '../eval/metrics/metricsPool';
import { EvalService } from '../eval/run/evalService';
import { demoJob } from '../jobs/demoJob';
import { JobQueue } from '../jobs/jobQueue';
import { modelHostEntry } from '../models/host/hostEntryPath';
import { EndpointRegistry } from '../models/endpointRegistry';
import { ModelService } from '../models/modelService';
import { openWorkbenchStore } from '../store/workbenchStore';
import type { WorkbenchStore } from '../store/workbenchStore';
import { findAppPaths } from '../render/appPaths';
import { RenderService } from '../render/renderService';
import { StudyService } from '../scaling/studyService';
import { ExternalResultStore } from '../scaling/external/externalResultStore';
import type { SandboxPreference } from '../render/renderService';
import { runEnvironmentChecks } from './environmentChecks';
import { createHandlers } from './handlers';
import { RpcServer } from './rpcServer';
import { engineVersion } from './version';

export interface EngineOptions {
  dataDir: string;
  /** Names the holder in the data-dir lock, e.g. "codepercept serve". */
  command: string;
  log?: (message: string, error?: unknown) => void;
  /** Replaceable so tests need not spawn Python and probe GPUs on every engine start. */
  environmentChecks?: typeof runEnvironmentChecks;
  maxConcurrentJobs?: number;
  /** Start queued and interrupted jobs at once (default). Short CLI commands that only read pass false. */
  runJobs?: boolean;
  /** Import the bundled sample when the data dir is new (the app and `serve`; not the CLI or tests). */
  loadSample?: boolean;
  /** Render sandbox: auto (bubblewrap where it works, else guards), or forced; CODEPERCEPT_SANDBOX sets it too. */
  sandbox?: SandboxPreference;
  renderPoolSize?: number;
  /** Metrics worker threads (default: one per core but one, at most MAX_METRICS_WORKERS). */
  metricsPoolSize?: number;
  /** Replaces the metrics pool (the eval benchmark's in-thread baseline); the caller disposes it. */
  metrics?: MetricsComputer;
}

export interface Engine {
  readonly version: string;
  readonly store: WorkbenchStore;
  readonly jobs: JobQueue;
  readonly rpc: RpcServer;
  readonly render: RenderService;
  /** Deterministic metrics on worker threads, shared by eval runs and dataset verification. */
  readonly metrics: MetricsComputer;
  readonly catalog: DatasetCatalog;
  readonly models: ModelService;
  /** The lab's OpenAI-compatible servers (models.chat with id `openai:<name>`). */
  readonly endpoints: EndpointRegistry;
  /** STEM2Code-Eval runs (eval.* API; reports read run results through it). */
  readonly evals: EvalService;
  /** Perception/reasoning scaling studies (scaling.* API). */
  readonly scaling: StudyService;
  /** Published numbers (scaling.external.*) overlaid on the scaling charts. */
  readonly externalResults: ExternalResultStore;
  /** Serves the API on a channel; `transport` is reported to the client (in-process, websocket, messageport). */
  connect(channel: Channel, transport: string): () => void;
  dispose(): Promise<void>;
}

function defaultLog(message: string, error?: unknown): void {
  console.error(`[engine] ${message}`, ...(error === undefined ? [] : [error]));
}

/** The composition root: the one place that builds the services and wires them together. */
export function createEngine(options: EngineOptions): Engine {
  const log = options.log ?? defaultLog;
  const store = openWorkbenchStore(options.dataDir, options.command);
  const startedAt = Date.now();
  const checksFn = options.environmentChecks ?? runEnvironmentChecks;

  let environment: Promise<{ checks: EnvironmentCheck[]; checkedAt: number }> | null = null;
  const checkEnvironment = (recheck: boolean) => {
    if (!environment || recheck) {
      environment = checksFn({ dataDir: store.dataDir, pythonPath: store.settings.get().pythonPath }).then(
        (checks) => ({
          checks,
          checkedAt: Date.now(),
        }),
      );
    }
    return environment;
  };

  // The RPC server and the queue refer to each other (progress → broadcast); the holder breaks the cycle.
  const holder: { rpc?: RpcServer } = {};
  const jobs = new JobQueue({
    db: store.db,
    onProgress: (snapshot) => holder.rpc?.broadcast('jobs.progress', snapshot),
    ...(options.maxConcurrentJobs ? { maxConcurrentJobs: options.maxConcurrentJobs } : {}),
  });
  jobs.register(demoJob);
  const catalog = new DatasetCatalog(store, jobs);

  const sandboxEnv = process.env.CODEPERCEPT_SANDBOX;
  const render = new RenderService({
    store,
    pythonPath: () => store.settings.get().pythonPath,
    sandbox: options.sandbox ?? (sandboxEnv === 'bwrap' || sandboxEnv === 'guards' ? sandboxEnv : 'auto'),
    ...(options.renderPoolSize ? { poolSize: options.renderPoolSize } : {}),
    onHealth: (health) => holder.rpc?.broadcast('render.health', health),
    log,
  });
  // Folder imports render code that has no image, so the import job needs the render service.
  jobs.register(createImportJob(store, { render }));
  // Image metrics run on worker threads so scoring never stalls the API; started on first use.
  const pool = options.metrics
    ? null
    : new MetricsPool({ ...(options.metricsPoolSize ? { size: options.metricsPoolSize } : {}), log });
  const metrics = options.metrics ?? pool!;
  jobs.register(createVerificationJob(store, render, metrics));

  const models = new ModelService({
    db: store.db,
    dataDir: store.dataDir,
    hostEntry: () => modelHostEntry(),
    onState: (state) => holder.rpc?.broadcast('models.state', state),
    log,
  });

  const endpoints = new EndpointRegistry(store.db);
  const externalResults = new ExternalResultStore(store.db);
  const evals = new EvalService({
    store,
    jobs,
    render,
    metrics,
    models,
    endpoints,
    engineVersion,
    // Looked up when a run starts: engines that never evaluate need no app files.
    fontsDir: () => findAppPaths().fontsDir,
  });

  const scaling = new StudyService({ store, jobs, models, endpoints });

  const rpc: RpcServer = new RpcServer({
    version: engineVersion,
    log,
    handlers: createHandlers({
      store,
      jobs,
      render,
      catalog,
      models,
      endpoints,
      evals,
      scaling,
      metrics,
      externalResults,
      version: engineVersion,
      startedAt,
      stats: () => rpc.stats,
      environment: checkEnvironment,
    }),
  });
  holder.rpc = rpc;

  const resumed = jobs.recover({ start: options.runJobs ?? true });
  if (options.loadSample && store.migration.from === 0)
    loadBundledSample({ catalog, externalResults }, findAppPaths().root);
  if (resumed.length > 0 && (options.runJobs ?? true))
    log(`resuming ${resumed.length} interrupted job(s): ${resumed.join(', ')}`);
  if (store.migration.applied.length > 0 && store.migration.from > 0) {
    log(
      `migrated ${store.dbPath} from v${store.migration.from} to v${store.migration.to} (backup: ${store.migration.backupPath})`,
    );
  }

  let disposed = false;
  return {
    version: engineVersion,
    store,
    jobs,
    rpc,
    render,
    metrics,
    catalog,
    models,
    endpoints,
    evals,
    scaling,
    externalResults,
    connect: (channel, transport) => rpc.connect(channel, transport),
    async dispose() {
      if (disposed) return;
      disposed = true;
      await jobs.dispose();
      await pool?.dispose();
      await models.dispose();
      await render.dispose();
      store.close();
    },
  };
}
