import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ApiError } from '../api/errors';
import type { JobSnapshot } from '../api/jobs';
import { studyConfigSchema } from '../api/scaling';
import type {
  CellKey,
  StudyCell,
  StudyConfigInput,
  StudyDetail,
  StudyInfo,
  StudyItem,
  scalingMethods,
} from '../api/scaling';
import { DatasetRepository } from '../datasets/datasetRepository';
import type { JobQueue } from '../jobs/jobQueue';
import type { EndpointRegistry } from '../models/endpointRegistry';
import type { ModelService } from '../models/modelService';
import type { WorkbenchStore } from '../store/workbenchStore';
import { cellAccuracy } from './accuracy';
import type { AccuracyItem, CellAnswer } from './accuracy';
import { resolveStudyModel, studyModelView } from './modelParameters';
import { STUDY_JOB_TYPE, createStudyJob } from './studyJob';
import { StudyStore } from './studyStore';
import type { StoredModel, StudyItemRow, StudyRow } from './studyStore';

export interface StudyServiceOptions {
  store: WorkbenchStore;
  jobs: JobQueue;
  models?: ModelService;
  endpoints?: EndpointRegistry;
}

type ItemsParams = z.output<(typeof scalingMethods)['scaling.items']['params']>;
type SetParametersParams = z.output<(typeof scalingMethods)['scaling.setParameters']['params']>;

const STATUS: Record<JobSnapshot['state'], StudyInfo['status']> = {
  queued: 'queued',
  running: 'running',
  paused: 'paused',
  done: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** Category of an item with none (so every answer counts in the per-category table). */
export const NO_CATEGORY = '(none)';

const invalid = (message: string, hint?: string) =>
  new ApiError({ code: 'INVALID_PARAMS', message, ...(hint ? { hint } : {}) });

const cellId = (captioner: string, solver: string) => `${captioner}\u0000${solver}`;

/**
 * Perception/reasoning scaling studies for the API: validates and starts a study as a job, lists studies,
 * computes each cell's accuracy from the stored answers, pages the items behind a cell, edits model sizes.
 */
export class StudyService {
  readonly studies: StudyStore;
  private readonly datasets: DatasetRepository;
  /** Each study's cells by cell id, recomputed only when that cell gained answers (the bootstrap is costly). */
  private readonly cells = new Map<string, Map<string, { answers: number; cell: StudyCell }>>();

  constructor(private readonly options: StudyServiceOptions) {
    this.studies = new StudyStore(options.store.db);
    this.datasets = new DatasetRepository(options.store.db);
    options.jobs.register(
      createStudyJob({
        store: options.store,
        studies: this.studies,
        ...(options.models ? { models: options.models } : {}),
        ...(options.endpoints ? { endpoints: options.endpoints } : {}),
      }),
    );
  }

  async start(input: StudyConfigInput): Promise<{ studyId: string; job: JobSnapshot }> {
    const config = studyConfigSchema.parse(input);
    const dataset = this.dataset(config.datasetId);
    if (dataset.kind !== 'vqa')
      throw invalid(
        `datasetId: dataset "${dataset.name}" is of kind ${dataset.kind}; a study needs a vqa dataset (question, answer, image).`,
        'Import one with: codepercept import FILE --format vqa',
      );
    if (config.solvers.length === 0 && !config.settings.direct)
      throw invalid(
        'solvers: give at least one solver, or set settings.direct for the direct baseline only.',
      );
    for (const role of ['captioners', 'solvers'] as const) {
      const seen = new Set<string>();
      config[role].forEach((m, i) => {
        if (seen.has(m.label))
          throw invalid(`${role}[${i}].label: "${m.label}" is used twice among the ${role}.`);
        seen.add(m.label);
      });
    }
    const sources = {
      ...(this.options.models ? { models: this.options.models } : {}),
      ...(this.options.endpoints ? { endpoints: this.options.endpoints } : {}),
    };
    const resolve = async (role: 'captioners' | 'solvers') => {
      const out: StoredModel[] = [];
      for (const [i, m] of config[role].entries()) {
        const field = `${role}[${i}] (${m.label})`;
        const resolved = await resolveStudyModel(sources, m.spec, field);
        if (role === 'captioners' && !resolved.vision)
          throw invalid(
            `${field}: the model takes no images (no vision projector), so it cannot describe figures.`,
            'Give its mmproj file (models add --mmproj) or pick a vision model.',
          );
        out.push({
          label: m.label,
          spec: m.spec,
          ggufParameters: resolved.ggufParameters,
          identity: resolved.identity,
        });
      }
      return out;
    };
    const captioners = await resolve('captioners');
    const solvers = await resolve('solvers');
    const itemIds = this.selectItems(dataset.id, config.settings);
    if (itemIds.length === 0)
      throw invalid(
        `datasetId: dataset "${dataset.name}" has no items with a question, an answer and an image${config.settings.categories ? ' in the chosen categories' : ''}.`,
      );
    const id = randomUUID();
    const parameters = (['captioners', 'solvers'] as const).flatMap((role) =>
      config[role]
        .filter((m) => typeof m.parameters === 'number')
        .map((m) => ({
          role: role === 'captioners' ? 'captioner' : 'solver',
          label: m.label,
          value: m.parameters!,
        })),
    );
    this.studies.createStudy(
      {
        id,
        name: config.name,
        datasetId: dataset.id,
        config: { captioners, solvers, settings: config.settings },
        itemIds,
        createdAt: Date.now(),
      },
      parameters,
    );
    const job = this.options.jobs.start(STUDY_JOB_TYPE, { studyId: id });
    this.studies.setJob(id, job.id);
    return { studyId: id, job };
  }

  list(limit = 200): StudyInfo[] {
    return this.studies.studies(limit).map((row) => this.info(row));
  }

  detail(idOrPrefix: string): StudyDetail {
    const row = this.studies.study(idOrPrefix);
    return {
      ...this.info(row),
      settings: row.config.settings,
      cells: this.cellsOf(row),
      captions: this.studies.captionCounts(row.id),
    };
  }

  items(params: ItemsParams): { items: StudyItem[]; total: number } {
    const row = this.studies.study(params.id);
    const { captioner, solver } = this.checkCell(row, params.cell);
    const answers = new Map(
      this.studies
        .answers(row.id)
        .filter((a) => a.captioner === captioner && a.solver === (solver ?? ''))
        .map((a) => [a.itemId, a]),
    );
    const captions = new Map(
      solver === null
        ? []
        : this.studies
            .studyCaptions(row.id)
            .filter((c) => c.captioner === captioner)
            .map((c) => [c.itemId, c]),
    );
    const datasetName = this.datasetName(row.datasetId);
    const all = this.studies.items(row).map((item): StudyItem => {
      const answer = answers.get(item.id);
      const caption = captions.get(item.id);
      return {
        itemId: item.id,
        uid: item.uid,
        category: item.category,
        benchmark: item.source ?? datasetName,
        question: item.question ?? '',
        choices: item.choices ? (JSON.parse(item.choices) as string[]) : null,
        answer: item.answer ?? '',
        imageSha256: item.imageSha256,
        caption: caption?.text ?? null,
        response: answer?.response ?? null,
        extracted: answer?.extracted ?? null,
        correct: answer ? answer.correct : null,
        error: answer?.error ?? (caption?.status === 'failed' ? caption.error : null),
      };
    });
    const filtered = all.filter(
      (i) =>
        (params.correct === undefined || i.correct === params.correct) &&
        (params.category === undefined || (i.category ?? NO_CATEGORY) === params.category) &&
        (params.benchmark === undefined || i.benchmark === params.benchmark),
    );
    return { items: filtered.slice(params.offset, params.offset + params.limit), total: filtered.length };
  }

  setParameters(params: SetParametersParams): StudyDetail {
    const row = this.studies.study(params.id);
    const list = params.role === 'captioner' ? row.config.captioners : row.config.solvers;
    if (!list.some((m) => m.label === params.label))
      throw invalid(
        `label: study "${row.name}" has no ${params.role} "${params.label}" (it has ${list.map((m) => `"${m.label}"`).join(', ') || 'none'}).`,
      );
    this.studies.setParameters(row.id, params.role, params.label, params.parameters);
    return this.detail(row.id);
  }

  private info(row: StudyRow): StudyInfo {
    const overrides = this.studies.parameterOverrides(row.id);
    const { captioners, solvers, settings } = row.config;
    const items = row.itemIds.length;
    const job = row.jobId ? this.job(row.jobId) : null;
    return {
      id: row.id,
      name: row.name,
      datasetId: row.datasetId,
      datasetName: this.datasetName(row.datasetId),
      createdAt: row.createdAt,
      jobId: row.jobId,
      // No job yet: start() is between recording the study and starting its job.
      status: job ? STATUS[job.state] : row.jobId ? 'failed' : 'queued',
      variant: settings.variant,
      captioners: captioners.map((m) => studyModelView(m, 'captioner', overrides)),
      solvers: solvers.map((m) => studyModelView(m, 'solver', overrides)),
      items,
      done: this.studies.answerCount(row.id),
      total: items * captioners.length * (solvers.length + (settings.direct ? 1 : 0)),
    };
  }

  private cellsOf(row: StudyRow): StudyCell[] {
    // While a study runs one model answers at a time, so usually one cell has changed since the last call:
    // only that cell is read back and bootstrapped again (the page asks every second).
    const counts = new Map(
      this.studies.cellAnswerCounts(row.id).map((c) => [cellId(c.captioner, c.solver), c.n]),
    );
    let memo = this.cells.get(row.id);
    if (!memo) this.cells.set(row.id, (memo = new Map()));
    let items: AccuracyItem[] | null = null;
    const keys: CellKey[] = [];
    for (const s of row.config.solvers)
      for (const c of row.config.captioners) keys.push({ captioner: c.label, solver: s.label });
    if (row.config.settings.direct)
      for (const c of row.config.captioners) keys.push({ captioner: c.label, solver: null });
    return keys.map((key) => {
      const id = cellId(key.captioner, key.solver ?? '');
      const answers = counts.get(id) ?? 0;
      const known = memo.get(id);
      if (known && known.answers === answers) return known.cell;
      items ??= this.accuracyItems(row);
      const outcomes = new Map(
        this.studies
          .cellOutcomes(row.id, key.captioner, key.solver ?? '')
          .map((o): [number, CellAnswer] => [o.itemId, { correct: o.correct, failed: o.failed }]),
      );
      const cell = cellAccuracy(key, items, outcomes);
      memo.set(id, { answers, cell });
      return cell;
    });
  }

  private accuracyItems(row: StudyRow): AccuracyItem[] {
    const datasetName = this.datasetName(row.datasetId);
    return this.studies.items(row).map((i: StudyItemRow) => ({
      id: i.id,
      benchmark: i.source ?? datasetName,
      category: i.category ?? NO_CATEGORY,
    }));
  }

  private checkCell(row: StudyRow, cell: CellKey): { captioner: string; solver: string | null } {
    if (!row.config.captioners.some((m) => m.label === cell.captioner))
      throw invalid(`cell.captioner: study "${row.name}" has no captioner "${cell.captioner}".`);
    if (cell.solver === null) {
      if (!row.config.settings.direct)
        throw invalid(`cell.solver: study "${row.name}" has no direct baseline (solver null).`);
    } else if (!row.config.solvers.some((m) => m.label === cell.solver))
      throw invalid(`cell.solver: study "${row.name}" has no solver "${cell.solver}".`);
    return { captioner: cell.captioner, solver: cell.solver };
  }

  /** VQA items of the dataset with a question, an answer and an image: its categories, at most its limit. */
  private selectItems(
    datasetId: number,
    filter: { categories?: string[] | undefined; limit?: number | undefined },
  ) {
    const where = [
      'dataset_id = ?',
      'question IS NOT NULL',
      'answer IS NOT NULL',
      'image_sha256 IS NOT NULL',
    ];
    const args: unknown[] = [datasetId];
    if (filter.categories && filter.categories.length > 0) {
      where.push(`category IN (${filter.categories.map(() => '?').join(', ')})`);
      args.push(...filter.categories);
    }
    const limit = filter.limit ? `LIMIT ${Math.floor(filter.limit)}` : '';
    return this.options.store.db
      .prepare(`SELECT id FROM items WHERE ${where.join(' AND ')} ORDER BY id ${limit}`)
      .pluck()
      .all(...args) as number[];
  }

  private dataset(id: number) {
    try {
      return this.datasets.get(id);
    } catch {
      throw invalid(`datasetId: no dataset with id ${id}.`, 'List them with: codepercept datasets');
    }
  }

  private datasetName(id: number): string {
    try {
      return this.datasets.get(id).name;
    } catch {
      return `dataset ${id}`;
    }
  }

  private job(id: string): JobSnapshot | null {
    try {
      return this.options.jobs.get(id);
    } catch {
      return null;
    }
  }
}
