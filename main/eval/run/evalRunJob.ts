import { z } from 'zod';
import type { JobDefinition } from '../../jobs/jobDefinition';
import { ConcurrencyLimit } from '../../models/concurrencyLimit';
import type { RenderService } from '../../render/renderService';
import type { MetricsComputer } from '../metrics/metricsComputer';
import type { WorkbenchStore } from '../../store/workbenchStore';
import type { EvalRunStore } from './evalRunStore';
import { runItemPipeline } from './itemPipeline';
import type { AnswerSource, ItemPipelineContext } from './itemPipeline';
import { itemRecord } from './itemRecord';
import type { BenchmarkItem } from './itemRecord';
import { openPerceptualScorer, perceptualIdentity } from './perceptualModel';
import type { PerceptualIdentity } from './perceptualModel';
import type { PerceptualScorer } from '../perceptual/perceptualScorer';
import { readPredictions } from './predictionsFile';
import { RunModels } from './runModels';
import type { RunModelSources } from './runModels';

export const EVAL_JOB_TYPE = 'eval.run';

/**
 * Items in flight at once. Far more than any one resource takes, so while some items wait for a generation
 * slot others render and others are judged: the GPU, the render workers and the judges stay busy together.
 * Each stage still waits for its own limit (generation and judge concurrency, the render pool's size).
 */
export const ITEMS_IN_FLIGHT = 32;

export const evalJobParamsSchema = z.object({ runId: z.string().min(1) }).strict();
export type EvalJobParams = z.infer<typeof evalJobParamsSchema>;

/** One job item per answer: `item:<id>:<sample>`. */
const answerKey = (id: number, sample: number) => `item:${id}:${sample}`;

/** The item and sample of a job key; `item:<id>` (runs planned before samples per item) is sample 0. */
export function answerOfKey(key: string): { itemId: number; sample: number } {
  const match = /^item:(\d+)(?::(\d+))?$/.exec(key);
  if (!match) throw new Error(`Not an eval item key: "${key}".`);
  return { itemId: Number(match[1]), sample: match[2] === undefined ? 0 : Number(match[2]) };
}

/** Answers per item of a run; runs stored before the setting existed draw one. */
export const samplesOf = (settings: { samples?: number }) => settings.samples ?? 1;

export interface EvalJobDeps extends RunModelSources {
  store: WorkbenchStore;
  runs: EvalRunStore;
  render: RenderService;
  /** The engine's metrics pool, shared by every run. */
  metrics: MetricsComputer;
}

interface RunSession {
  context: ItemPipelineContext;
  models: RunModels;
  /** The perceptual scorer once loaded, disposed with the session. */
  perceptual: Promise<{ scorer: PerceptualScorer; identity: PerceptualIdentity }> | null;
}

/** The path of a stored blob by its hash (a benchmark image may be PNG or JPEG). */
export function blobPathResolver(store: WorkbenchStore): (sha256: string) => string {
  const blobExt = store.db.prepare('SELECT ext FROM blobs WHERE sha256 = ?').pluck();
  return (sha256) => {
    const ext = blobExt.get(sha256) as string | undefined;
    if (!ext) throw new Error(`Image ${sha256} is not in the blob store.`);
    return store.blobs.pathFor(sha256, ext);
  };
}

/** The benchmark items a run covers, in id order: its categories, at most its limit. */
export function benchmarkItems(
  store: WorkbenchStore,
  datasetId: number,
  filter: { categories?: string[] | undefined; limit?: number | undefined },
): BenchmarkItem[] {
  const where = ['dataset_id = ?'];
  const args: unknown[] = [datasetId];
  if (filter.categories && filter.categories.length > 0) {
    where.push(`category IN (${filter.categories.map(() => '?').join(', ')})`);
    args.push(...filter.categories);
  }
  const limit = filter.limit ? `LIMIT ${Math.floor(filter.limit)}` : '';
  return store.db
    .prepare(
      `SELECT id, uid, category, code, image_sha256 AS imageSha256 FROM items
       WHERE ${where.join(' AND ')} AND code IS NOT NULL ORDER BY id ${limit}`,
    )
    .all(...args) as BenchmarkItem[];
}

/**
 * A run as a job: one job item per answer (benchmark item × sample, so progress counts answers), each carried
 * through every stage by runItemPipeline.
 * What the items share (the loaded models, the predictions file, the concurrency limits) lives in a session
 * per job run, released when the run stops, so a paused run holds no GPU memory.
 */
export function createEvalRunJob(deps: EvalJobDeps): JobDefinition<EvalJobParams> {
  const sessions = new Map<string, RunSession>();
  const item = deps.store.db.prepare(
    'SELECT id, uid, category, code, image_sha256 AS imageSha256 FROM items WHERE id = ?',
  );
  const blobPath = blobPathResolver(deps.store);

  function session(jobId: string, runId: string): RunSession {
    const existing = sessions.get(jobId);
    if (existing) return existing;
    const run = deps.runs.run(runId);
    const { settings, subject } = run.config;
    const models = new RunModels(deps);
    let predictions: ReturnType<typeof readPredictions> | null = null;
    const answers: AnswerSource =
      subject.kind === 'predictions'
        ? { kind: 'predictions', predictions: () => (predictions ??= readPredictions(subject)) }
        : {
            kind: 'model',
            model: () => models.acquire(subject, 'model under test'),
            limit: new ConcurrencyLimit(settings.generationConcurrency),
          };
    const { imageJudge, codeJudge } = run.config;
    // Runs stored before the setting existed have none.
    const perceptualSetting = settings.perceptual ?? null;
    const created: RunSession = {
      models,
      perceptual: null,
      context: {
        runId,
        settings,
        store: deps.runs,
        render: deps.render,
        blobs: deps.store.blobs,
        answers,
        imageJudge: imageJudge ? () => models.acquire(imageJudge, 'image judge') : null,
        codeJudge: codeJudge ? () => models.acquire(codeJudge, 'code judge') : null,
        judgeLimit: new ConcurrencyLimit(settings.judgeConcurrency),
        metrics: deps.metrics,
        perceptual: perceptualSetting
          ? () => {
              if (!created.perceptual) {
                const loading = Promise.all([
                  openPerceptualScorer(perceptualSetting),
                  perceptualIdentity(perceptualSetting),
                ]).then(([scorer, identity]) => ({ scorer, identity }));
                // A failed load is not remembered: a resume tries again.
                loading.catch(() => {
                  if (created.perceptual === loading) created.perceptual = null;
                });
                created.perceptual = loading;
              }
              return created.perceptual;
            }
          : null,
        blobPath,
        references: new Map(),
      },
    };
    sessions.set(jobId, created);
    return created;
  }

  return {
    type: EVAL_JOB_TYPE,
    paramsSchema: evalJobParamsSchema,
    title: ({ runId }) => {
      const run = deps.runs.run(runId);
      return `Evaluate "${run.name}"`;
    },
    concurrency: ITEMS_IN_FLIGHT,
    plan({ params }) {
      const run = deps.runs.run(params.runId);
      const items = benchmarkItems(deps.store, run.datasetId, run.config.settings);
      const samples = Array.from({ length: samplesOf(run.config.settings) }, (_, k) => k);
      deps.runs.seedResults(
        run.id,
        items.flatMap((i) => samples.map((k) => itemRecord(i, k, {}))),
      );
      return items.flatMap((i) => samples.map((k) => answerKey(i.id, k)));
    },
    async runItem({ jobId, params, key, signal }) {
      const { itemId, sample } = answerOfKey(key);
      const row = item.get(itemId) as BenchmarkItem | undefined;
      if (!row) throw new Error(`Benchmark item ${itemId} is gone from the dataset.`);
      return runItemPipeline(session(jobId, params.runId).context, row, sample, signal);
    },
    async release({ jobId }) {
      const s = sessions.get(jobId);
      sessions.delete(jobId);
      const perceptual = await s?.perceptual?.catch(() => null);
      await Promise.all([s?.models.dispose(), perceptual?.scorer.dispose()]);
    },
  };
}
