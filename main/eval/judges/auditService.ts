import { ApiError } from '../../api/errors';
import { DETERMINISTIC_METRIC_KEYS } from '../../api/eval';
import type { EvalItemResult } from '../../api/eval';
import { judgeAuditParamsSchema } from '../../api/judgeAudit';
import type { JudgeAuditParams } from '../../api/judgeAudit';
import type { WorkbenchStore } from '../../store/workbenchStore';
import { benchmarkItems, blobPathResolver } from '../run/evalRunJob';
import type { EvalRunStore } from '../run/evalRunStore';
import { RunModels } from '../run/runModels';
import type { RunModelSources } from '../run/runModels';
import { auditJudge } from './judgeAudit';
import type { JudgeAuditItem, JudgeAuditReport } from './judgeAudit';

export interface JudgeAuditDeps extends RunModelSources {
  store: WorkbenchStore;
  runs: EvalRunStore;
}

export interface JudgeAuditCallOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

function metricsOf(result: EvalItemResult): Record<string, number | null> {
  const metrics = result.metrics;
  if (!metrics) return {};
  return Object.fromEntries(DETERMINISTIC_METRIC_KEYS.map((key) => [key, metrics[key]]));
}

/**
 * The audit's items from a benchmark: each reference (image file or code) and its candidate — the run's
 * official render or extracted code when a run is given (items the run has none for are skipped), otherwise
 * the reference itself.
 */
export function judgeAuditItems(
  deps: JudgeAuditDeps,
  params: ReturnType<typeof judgeAuditParamsSchema.parse>,
): JudgeAuditItem[] {
  const dataset = deps.store.db
    .prepare('SELECT name FROM datasets WHERE id = ?')
    .pluck()
    .get(params.benchmarkDatasetId) as string | undefined;
  if (dataset === undefined)
    throw new ApiError({
      code: 'NOT_FOUND',
      message: `No dataset with id ${params.benchmarkDatasetId} to audit the judge on.`,
      hint: 'List datasets with codepercept datasets.',
    });
  const run = params.runId ? deps.runs.findRun(params.runId) : null;
  if (run && run.datasetId !== params.benchmarkDatasetId)
    throw new ApiError({
      code: 'INVALID_PARAMS',
      message: `Run ${run.id.slice(0, 8)} "${run.name}" evaluated another benchmark than "${dataset}".`,
      hint: 'Pass the run made on this benchmark, or leave out --run.',
    });
  const results = new Map(run ? deps.runs.results(run.id).map((r) => [r.result.itemId, r.result]) : []);
  const blobPath = blobPathResolver(deps.store);
  const items: JudgeAuditItem[] = [];
  for (const item of benchmarkItems(deps.store, params.benchmarkDatasetId, {})) {
    if (params.limit !== undefined && items.length >= params.limit) break;
    if (params.kind === 'image' && !item.imageSha256) continue;
    const reference = params.kind === 'image' ? blobPath(item.imageSha256!) : item.code;
    if (!run) {
      items.push({ id: item.uid, reference, candidate: reference });
      continue;
    }
    const result = results.get(item.id);
    if (!result) continue;
    const candidate =
      params.kind === 'image'
        ? result.official?.executed && result.official.imageSha256
          ? blobPath(result.official.imageSha256)
          : null
        : result.code;
    if (candidate === null) continue;
    items.push({ id: item.uid, reference, candidate, metrics: metricsOf(result) });
  }
  if (items.length === 0)
    throw new ApiError({
      code: 'INVALID_PARAMS',
      message: run
        ? `Run ${run.id.slice(0, 8)} has no item with a ${params.kind === 'image' ? 'rendered image' : 'generated code'} to audit the judge on.`
        : `Benchmark "${dataset}" has no items with ${params.kind === 'image' ? 'an image' : 'reference code'}.`,
    });
  return items;
}

/** Runs the judge audit on a benchmark (and a run's candidates); the judge is loaded for it and released after. */
export async function auditJudgeOnBenchmark(
  deps: JudgeAuditDeps,
  input: JudgeAuditParams,
  options: JudgeAuditCallOptions = {},
): Promise<JudgeAuditReport> {
  const params = judgeAuditParamsSchema.parse(input);
  const items = judgeAuditItems(deps, params);
  const models = new RunModels(deps);
  try {
    const model = await models.acquire(
      params.judge,
      params.kind === 'image' ? 'image judge' : 'code judge',
      options.signal,
    );
    return await auditJudge(model, items, {
      kind: params.kind,
      attempts: params.attempts,
      concurrency: params.concurrency,
      ...(options.signal && { signal: options.signal }),
      ...(options.onProgress && { onProgress: options.onProgress }),
    });
  } finally {
    await models.dispose();
  }
}
