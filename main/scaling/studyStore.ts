import type { Statement } from 'better-sqlite3';
import { z } from 'zod';
import { ApiError } from '../api/errors';
import { modelSpecSchema } from '../api/eval';
import { studySettingsSchema } from '../api/scaling';
import type { SqliteDatabase } from '../store/sqlite';

/** A study's model as stored: what the API shows plus what the engine needs (identity, GGUF size). */
export const storedModelSchema = z.object({
  label: z.string(),
  spec: modelSpecSchema,
  /** Read from the GGUF at start; null for endpoints and unreadable files. */
  ggufParameters: z.number().nullable(),
  /** File path + size + mtime (local) or endpoint URL + model name: the model part of caption cache keys. */
  identity: z.string(),
});
export type StoredModel = z.infer<typeof storedModelSchema>;

export const storedConfigSchema = z.object({
  captioners: z.array(storedModelSchema),
  solvers: z.array(storedModelSchema),
  settings: studySettingsSchema,
});
export type StoredConfig = z.infer<typeof storedConfigSchema>;

export interface StudyRow {
  id: string;
  name: string;
  datasetId: number;
  config: StoredConfig;
  itemIds: number[];
  jobId: string | null;
  createdAt: number;
}

export interface StudyItemRow {
  id: number;
  uid: string;
  category: string | null;
  source: string | null;
  question: string | null;
  answer: string | null;
  choices: string | null;
  imageSha256: string | null;
}

export interface StudyCaptionRow {
  captioner: string;
  itemId: number;
  status: 'computed' | 'cached' | 'failed';
  error: string | null;
  /** The caption text from the cache (null when it failed). */
  text: string | null;
}

export interface AnswerRow {
  captioner: string;
  /** '' for the direct baseline. */
  solver: string;
  itemId: number;
  response: string | null;
  extracted: string | null;
  correct: boolean;
  error: string | null;
}

export type AttemptKind = 'caption' | 'answer' | 'direct';

interface RawStudy {
  id: string;
  name: string;
  dataset_id: number;
  config: string;
  item_ids: string;
  job_id: string | null;
  created_at: number;
}

const toStudy = (r: RawStudy): StudyRow => ({
  id: r.id,
  name: r.name,
  datasetId: r.dataset_id,
  config: storedConfigSchema.parse(JSON.parse(r.config)),
  itemIds: z.array(z.number().int()).parse(JSON.parse(r.item_ids)),
  jobId: r.job_id,
  createdAt: r.created_at,
});

/** Every table of the scaling studies (migration v9); statements compiled once. */
export class StudyStore {
  private readonly statements = new Map<string, Statement>();

  constructor(
    readonly db: SqliteDatabase,
    private readonly clock: () => number = Date.now,
  ) {}

  createStudy(study: Omit<StudyRow, 'jobId'>, parameters: { role: string; label: string; value: number }[]) {
    this.db.transaction(() => {
      this.sql(
        'INSERT INTO scaling_studies (id, name, dataset_id, config, item_ids, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(
        study.id,
        study.name,
        study.datasetId,
        JSON.stringify(study.config),
        JSON.stringify(study.itemIds),
        study.createdAt,
      );
      for (const p of parameters) this.setParameters(study.id, p.role, p.label, p.value);
    })();
  }

  setJob(id: string, jobId: string): void {
    this.sql('UPDATE scaling_studies SET job_id = ? WHERE id = ?').run(jobId, id);
  }

  /** A study by id or unique id prefix (the CLI shows 8 characters). */
  study(idOrPrefix: string): StudyRow {
    const exact = this.sql('SELECT * FROM scaling_studies WHERE id = ?').get(idOrPrefix) as
      RawStudy | undefined;
    if (exact) return toStudy(exact);
    const matches = this.sql("SELECT * FROM scaling_studies WHERE id LIKE ? || '%' LIMIT 2").all(
      idOrPrefix,
    ) as RawStudy[];
    if (matches.length !== 1)
      throw new ApiError({
        code: 'NOT_FOUND',
        message:
          matches.length > 1
            ? `Study id "${idOrPrefix}" is ambiguous; give more characters.`
            : `No study with id ${idOrPrefix}.`,
        hint: 'List studies with: codepercept studies',
      });
    return toStudy(matches[0]!);
  }

  studies(limit: number): StudyRow[] {
    return (
      this.sql('SELECT * FROM scaling_studies ORDER BY created_at DESC, id LIMIT ?').all(limit) as RawStudy[]
    ).map(toStudy);
  }

  /** The study's items in id order (items deleted from the dataset since are gone from the list). */
  items(study: StudyRow): StudyItemRow[] {
    const rows = this.sql(
      `SELECT i.id, i.uid, i.category, i.source, i.question, i.answer, i.choices, i.image_sha256 AS imageSha256
         FROM json_each(?) j JOIN items i ON i.id = j.value ORDER BY i.id`,
    ).all(JSON.stringify(study.itemIds)) as StudyItemRow[];
    return rows;
  }

  item(id: number): StudyItemRow | undefined {
    return this.sql(
      `SELECT id, uid, category, source, question, answer, choices, image_sha256 AS imageSha256
         FROM items WHERE id = ?`,
    ).get(id) as StudyItemRow | undefined;
  }

  // --- captions -------------------------------------------------------------------------------------------

  cachedCaption(cacheKey: string): string | null {
    const row = this.sql('SELECT text FROM scaling_captions WHERE cache_key = ?').get(cacheKey) as
      { text: string } | undefined;
    return row?.text ?? null;
  }

  studyCaption(studyId: string, captioner: string, itemId: number): StudyCaptionRow | undefined {
    return this.sql(
      `SELECT s.captioner, s.item_id AS itemId, s.status, s.error, c.text
         FROM scaling_study_captions s LEFT JOIN scaling_captions c ON c.cache_key = s.cache_key
        WHERE s.study_id = ? AND s.captioner = ? AND s.item_id = ?`,
    ).get(studyId, captioner, itemId) as StudyCaptionRow | undefined;
  }

  studyCaptions(studyId: string): StudyCaptionRow[] {
    return this.sql(
      `SELECT s.captioner, s.item_id AS itemId, s.status, s.error, c.text
         FROM scaling_study_captions s LEFT JOIN scaling_captions c ON c.cache_key = s.cache_key
        WHERE s.study_id = ?`,
    ).all(studyId) as StudyCaptionRow[];
  }

  /** A study's caption outcome, and (when computed) the caption into the shared cache, in one transaction. */
  recordCaption(
    record: {
      studyId: string;
      captioner: string;
      itemId: number;
      cacheKey: string;
      status: 'computed' | 'cached' | 'failed';
      error: string | null;
    },
    computed?: {
      identity: string;
      variant: string;
      promptVersion: number;
      imageSha256: string;
      text: string;
      raw: string;
      durationMs: number;
    },
  ): void {
    const now = this.clock();
    this.db.transaction(() => {
      if (computed)
        this.sql(
          `INSERT OR REPLACE INTO scaling_captions
             (cache_key, model_identity, variant, prompt_version, image_sha256, text, raw, duration_ms, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          record.cacheKey,
          computed.identity,
          computed.variant,
          computed.promptVersion,
          computed.imageSha256,
          computed.text,
          computed.raw,
          computed.durationMs,
          now,
        );
      this.sql(
        `INSERT OR REPLACE INTO scaling_study_captions (study_id, captioner, item_id, cache_key, status, error, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        record.studyId,
        record.captioner,
        record.itemId,
        record.cacheKey,
        record.status,
        record.error,
        now,
      );
    })();
  }

  captionCounts(studyId: string): { computed: number; cached: number } {
    const rows = this.sql(
      'SELECT status, COUNT(*) AS n FROM scaling_study_captions WHERE study_id = ? GROUP BY status',
    ).all(studyId) as { status: string; n: number }[];
    const n = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
    return { computed: n('computed'), cached: n('cached') };
  }

  // --- answers --------------------------------------------------------------------------------------------

  hasAnswer(studyId: string, captioner: string, solver: string, itemId: number): boolean {
    return (
      this.sql(
        'SELECT 1 FROM scaling_answers WHERE study_id = ? AND captioner = ? AND solver = ? AND item_id = ?',
      ).get(studyId, captioner, solver, itemId) !== undefined
    );
  }

  recordAnswer(studyId: string, answer: AnswerRow & { durationMs: number }): void {
    this.sql(
      `INSERT OR REPLACE INTO scaling_answers
         (study_id, captioner, solver, item_id, response, extracted, correct, error, duration_ms, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      studyId,
      answer.captioner,
      answer.solver,
      answer.itemId,
      answer.response,
      answer.extracted,
      answer.correct ? 1 : 0,
      answer.error,
      answer.durationMs,
      this.clock(),
    );
  }

  answers(studyId: string): AnswerRow[] {
    const rows = this.sql(
      `SELECT captioner, solver, item_id AS itemId, response, extracted, correct, error
         FROM scaling_answers WHERE study_id = ?`,
    ).all(studyId) as (Omit<AnswerRow, 'correct'> & { correct: number })[];
    return rows.map((r) => ({ ...r, correct: r.correct === 1 }));
  }

  /** Answers stored per cell (solver '' = direct): how the accuracy cache tells which cells changed. */
  cellAnswerCounts(studyId: string): { captioner: string; solver: string; n: number }[] {
    return this.sql(
      `SELECT captioner, solver, COUNT(*) AS n FROM scaling_answers WHERE study_id = ? GROUP BY captioner, solver`,
    ).all(studyId) as { captioner: string; solver: string; n: number }[];
  }

  /** One cell's outcomes, without the response texts: all its accuracy needs. */
  cellOutcomes(
    studyId: string,
    captioner: string,
    solver: string,
  ): { itemId: number; correct: boolean; failed: boolean }[] {
    const rows = this.sql(
      `SELECT item_id AS itemId, correct, error IS NOT NULL AS failed FROM scaling_answers
        WHERE study_id = ? AND captioner = ? AND solver = ?`,
    ).all(studyId, captioner, solver) as { itemId: number; correct: number; failed: number }[];
    return rows.map((r) => ({ itemId: r.itemId, correct: r.correct === 1, failed: r.failed === 1 }));
  }

  answerCount(studyId: string): number {
    return (
      this.sql('SELECT COUNT(*) AS n FROM scaling_answers WHERE study_id = ?').get(studyId) as { n: number }
    ).n;
  }

  // --- attempts -------------------------------------------------------------------------------------------

  beginAttempt(a: {
    studyId: string;
    kind: AttemptKind;
    captioner: string;
    solver: string | null;
    itemId: number;
  }) {
    const info = this.sql(
      `INSERT INTO scaling_attempts (study_id, kind, captioner, solver, item_id, pid, started_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(a.studyId, a.kind, a.captioner, a.solver, a.itemId, process.pid, this.clock());
    return Number(info.lastInsertRowid);
  }

  finishAttempt(id: number): void {
    this.sql('UPDATE scaling_attempts SET finished_at = ? WHERE id = ?').run(this.clock(), id);
  }

  // --- parameter overrides --------------------------------------------------------------------------------

  setParameters(studyId: string, role: string, label: string, value: number | null): void {
    if (value === null)
      this.sql('DELETE FROM scaling_parameters WHERE study_id = ? AND role = ? AND label = ?').run(
        studyId,
        role,
        label,
      );
    else
      this.sql(
        'INSERT OR REPLACE INTO scaling_parameters (study_id, role, label, parameters) VALUES (?, ?, ?, ?)',
      ).run(studyId, role, label, value);
  }

  parameterOverrides(studyId: string): Map<string, number> {
    const rows = this.sql('SELECT role, label, parameters FROM scaling_parameters WHERE study_id = ?').all(
      studyId,
    ) as { role: string; label: string; parameters: number }[];
    return new Map(rows.map((r) => [`${r.role}:${r.label}`, r.parameters]));
  }

  private sql(text: string): Statement {
    let compiled = this.statements.get(text);
    if (!compiled) this.statements.set(text, (compiled = this.db.prepare(text)));
    return compiled;
  }
}
