import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { ApiError } from '../../api/errors';
import { evalItemsParamsSchema, evalRunConfigSchema } from '../../api/eval';
import type {
  EvalItemDetail,
  EvalItemResult,
  EvalItemsParams,
  EvalRunConfig,
  EvalRunConfigInput,
  EvalRunDetail,
  EvalRunInfo,
  EvalSortKey,
  RunComparison,
  RunSummaryReport,
} from '../../api/eval';
import type { JobSnapshot } from '../../api/jobs';
import type { JobQueue } from '../../jobs/jobQueue';
import type { EndpointRegistry } from '../../models/endpointRegistry';
import type { ModelService } from '../../models/modelService';
import type { RenderService } from '../../render/renderService';
import type { MetricsComputer } from '../metrics/metricsComputer';
import type { WorkbenchStore } from '../../store/workbenchStore';
import { environmentFingerprint } from './environmentFingerprint';
import { checkPerceptualModel } from './perceptualModel';
import { EVAL_JOB_TYPE, benchmarkItems, createEvalRunJob, samplesOf } from './evalRunJob';
import { EvalRunStore } from './evalRunStore';
import type { EvalRunRow } from './evalRunStore';
import type { CanonicalValue } from './itemRecord';
import { checkPredictionSamples, readPredictions } from './predictionsFile';
import { describeModelSpec } from './runModels';
import { compareRuns } from '../report/compareRuns';
import { summarizeRun } from '../report/summarize';
import { extrasKey } from '../report/toJson';
import type { ItemExtras, ReportInput } from '../report/toJson';

export interface EvalServiceOptions {
  store: WorkbenchStore;
  jobs: JobQueue;
  render: RenderService;
  /** Where the runs' deterministic metrics are computed (the engine's metrics pool). */
  metrics: MetricsComputer;
  models?: ModelService;
  endpoints?: EndpointRegistry;
  engineVersion: string;
  /** The bundled fonts the renderer uses (hashed into every run's fingerprint). */
  fontsDir: () => string;
}

/** JSON paths of the sortable values in a stored item record; never built from user text. */
function sortPath(key: EvalSortKey): string | null {
  if (key === 'item') return null;
  if (key === 'uid') return '$.uid';
  if (key === 'imageScore') return '$.imageJudgment.score';
  if (key === 'codeScore') return '$.codeJudgment.score';
  return `$.metrics.${key}`;
}

function describeSubject(config: EvalRunConfig): string {
  const s = config.subject;
  return s.kind === 'predictions' ? `predictions:${basename(s.path)} (${s.format})` : describeModelSpec(s);
}

/**
 * STEM2Code-Eval runs for the API: starts a run as a job (config validated, environment fingerprinted),
 * lists runs, summarises one, pages its item records. Reports read every record through `itemResults`.
 */
export class EvalService {
  readonly runs: EvalRunStore;
  /** The last summary per run: finished items never change, so it stands until another item finishes. */
  private readonly summaries = new Map<string, { key: string; summary: RunSummaryReport }>();

  constructor(private readonly options: EvalServiceOptions) {
    this.runs = new EvalRunStore(options.store.db);
    options.jobs.register(
      createEvalRunJob({
        store: options.store,
        runs: this.runs,
        render: options.render,
        metrics: options.metrics,
        ...(options.models ? { models: options.models } : {}),
        ...(options.endpoints ? { endpoints: options.endpoints } : {}),
      }),
    );
  }

  async start(input: EvalRunConfigInput): Promise<{ runId: string; job: JobSnapshot }> {
    const config = evalRunConfigSchema.parse(input);
    await this.validate(config);
    const perceptual = await checkPerceptualModel(config.settings.perceptual);
    const environment = await environmentFingerprint(
      this.options.render,
      this.options.fontsDir(),
      this.options.engineVersion,
      perceptual,
    );
    const run = this.runs.createRun({
      id: randomUUID(),
      name: config.name,
      datasetId: config.benchmarkDatasetId,
      config,
      environment,
    });
    const job = this.options.jobs.start(EVAL_JOB_TYPE, { runId: run.id });
    this.runs.setJob(run.id, job.id);
    return { runId: run.id, job };
  }

  list(limit = 200): EvalRunInfo[] {
    return this.runs.runs(limit).map((r) => this.info(r));
  }

  detail(idOrPrefix: string): EvalRunDetail {
    const row = this.runs.findRun(idOrPrefix);
    const info = this.info(row);
    return {
      ...info,
      config: row.config,
      environment: row.environment,
      job: row.jobId ? this.job(row.jobId) : null,
      summary: this.summary(row, info),
      stages: this.runs.stageCounts(row.id),
    };
  }

  /**
   * A run's finished items with their reference images and stages, as the report functions take them.
   * Unfinished items are left out (the summary says how many finished of how many planned).
   */
  reportInput(idOrPrefix: string): ReportInput {
    const row = this.runs.findRun(idOrPrefix);
    return this.reportInputOf(row, this.info(row));
  }

  /** Run A against run B on their shared items (paired by uid). */
  compare(a: string, b: string): RunComparison {
    return compareRuns(this.reportInput(a), this.reportInput(b));
  }

  items(input: EvalItemsParams): { items: EvalItemResult[]; total: number } {
    const params = evalItemsParamsSchema.parse(input);
    const run = this.runs.findRun(params.runId);
    return this.runs.page({
      runId: run.id,
      ...(params.category !== undefined ? { category: params.category } : {}),
      ...(params.failure !== undefined ? { failure: params.failure } : {}),
      ...(params.sample !== undefined ? { sample: params.sample } : {}),
      sortPath: sortPath(params.sort),
      descending: params.order === 'desc',
      offset: params.offset,
      limit: params.limit,
    });
  }

  /** One answer to an item: its record, the item's reference, and the stages of that sample (default 0). */
  item(runIdOrPrefix: string, itemId: number, sample = 0): EvalItemDetail {
    const run = this.runs.findRun(runIdOrPrefix);
    const stored = this.runs.result(run.id, itemId, sample);
    if (!stored) {
      const samples = this.runs.samplesOf(run.id, itemId);
      throw new ApiError({
        code: 'NOT_FOUND',
        message:
          samples.length === 0
            ? `Run ${run.id} has no item ${itemId}.`
            : `Item ${itemId} of run ${run.id} has no sample ${sample} (it has samples 0–${samples.length - 1}).`,
      });
    }
    const reference = this.options.store.db
      .prepare('SELECT image_sha256 AS imageSha256, code FROM items WHERE id = ?')
      .get(itemId) as { imageSha256: string | null; code: string | null } | undefined;
    return {
      result: stored.result,
      complete: stored.complete,
      reference: { imageSha256: reference?.imageSha256 ?? null, code: reference?.code ?? '' },
      // The reference render is the item's, stored under sample 0 for every sample.
      referenceCanonical: this.runs.stage<CanonicalValue>(run.id, itemId, 0, 'reference')?.value ?? null,
      stages: this.runs.stagesOf(run.id, itemId, sample),
    };
  }

  /** Every item record of a run in item order, finished or not (for reports and exports). */
  itemResults(runIdOrPrefix: string): EvalItemResult[] {
    const run = this.runs.findRun(runIdOrPrefix);
    return this.runs.results(run.id).map((r) => r.result);
  }

  private summary(row: EvalRunRow, info: EvalRunInfo): RunSummaryReport {
    // The bootstrap is the costly part and the UI polls a live run: recompute only when an item finished.
    const key = `${info.complete}/${info.total}`;
    const cached = this.summaries.get(row.id);
    if (cached?.key === key) return cached.summary;
    const summary = summarizeRun(this.reportInputOf(row, info, false));
    this.summaries.set(row.id, { key, summary });
    return summary;
  }

  private reportInputOf(row: EvalRunRow, info: EvalRunInfo, withExtras = true): ReportInput {
    const finished = this.runs
      .results(row.id)
      .filter((r) => r.complete)
      .map((r) => r.result);
    const extras = new Map<number | string, ItemExtras>();
    if (withExtras) {
      const images = this.options.store.db.prepare('SELECT image_sha256 FROM items WHERE id = ?').pluck();
      for (const r of finished)
        extras.set(extrasKey(r), {
          referenceImageSha256: (images.get(r.itemId) as string | null | undefined) ?? null,
          stages: this.runs
            .stagesOf(row.id, r.itemId, r.sample ?? 0)
            .map(({ stage, cached, durationMs, attempts }) => ({ stage, cached, durationMs, attempts })),
          complete: true,
        });
    }
    return {
      info: {
        id: row.id,
        name: row.name,
        subject: info.subject,
        benchmark: info.benchmark.name,
        createdAt: row.createdAt,
        total: info.total,
        judges: { image: row.config.imageJudge !== null, code: row.config.codeJudge !== null },
        // Said only when several: a run with one answer per item reports as it did before samples existed.
        ...(samplesOf(row.config.settings) > 1 ? { samplesPerItem: samplesOf(row.config.settings) } : {}),
      },
      items: finished,
      ...(withExtras ? { extras } : {}),
    };
  }

  private info(row: EvalRunRow): EvalRunInfo {
    const dataset = this.options.store.db
      .prepare('SELECT name FROM datasets WHERE id = ?')
      .pluck()
      .get(row.datasetId) as string | undefined;
    const job = row.jobId ? this.job(row.jobId) : null;
    return {
      id: row.id,
      name: row.name,
      benchmark: { id: row.datasetId, name: dataset ?? `#${row.datasetId}` },
      subject: describeSubject(row.config),
      jobId: row.jobId,
      state: job?.state ?? 'unknown',
      total: job && job.total > 0 ? job.total : this.runs.resultCount(row.id),
      complete: this.runs.completeCount(row.id),
      createdAt: row.createdAt,
    };
  }

  private job(id: string): JobSnapshot | null {
    try {
      return this.options.jobs.get(id);
    } catch {
      return null;
    }
  }

  /** Fails before anything is stored when the run could not start: no benchmark items, files, endpoints. */
  private async validate(config: EvalRunConfig): Promise<void> {
    const dataset = this.options.store.db
      .prepare('SELECT id, name, kind FROM datasets WHERE id = ?')
      .get(config.benchmarkDatasetId) as { id: number; name: string; kind: string } | undefined;
    if (!dataset)
      throw new ApiError({
        code: 'NOT_FOUND',
        message: `No dataset with id ${config.benchmarkDatasetId} to use as the benchmark.`,
        hint: 'List datasets with codepercept datasets; import a benchmark with codepercept import --format stem2code.',
      });
    const items = benchmarkItems(this.options.store, dataset.id, config.settings);
    if (items.length === 0)
      throw new ApiError({
        code: 'INVALID_PARAMS',
        message: `Benchmark "${dataset.name}" has no items with reference code${config.settings.categories ? ` in categories ${config.settings.categories.join(', ')}` : ''}.`,
      });
    const specs = [
      ['model under test', config.subject] as const,
      ['image judge', config.imageJudge] as const,
      ['code judge', config.codeJudge] as const,
    ];
    for (const [role, spec] of specs) {
      if (!spec) continue;
      if (spec.kind === 'predictions')
        checkPredictionSamples(spec, await readPredictions(spec), config.settings.samples);
      else if (spec.kind === 'endpoint') {
        if (!this.options.endpoints)
          throw new ApiError({
            code: 'INTERNAL',
            message: 'Remote endpoints are not available in this engine.',
          });
        this.options.endpoints.get(spec.endpoint);
      } else {
        if (!this.options.models)
          throw new ApiError({ code: 'INTERNAL', message: 'Local models are not available in this engine.' });
        const file = await this.options.models.inspect(spec.model);
        if (file.error)
          throw new ApiError({ code: 'INVALID_PARAMS', message: `The ${role} ${spec.model}: ${file.error}` });
      }
    }
  }
}
