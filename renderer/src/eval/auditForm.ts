import type { ModelSpec } from '../../../main/api/eval';
import type { JudgeAuditParams } from '../../../main/api/judgeAudit';
import { readInteger } from '../models/formFields';
import type { RunFormProblems } from './runForm';

/** The judge audit's form as typed: benchmark, judge, which judge (image or code), an optional run, limits. */
export interface AuditFormValues {
  benchmarkId: string;
  judgeKind: 'local' | 'endpoint';
  model: string;
  endpoint: string;
  kind: 'image' | 'code';
  /** '' = no run: each reference is its own candidate. */
  runId: string;
  limit: string;
  attempts: string;
  concurrency: string;
}

/** The engine's defaults (judgeAuditParamsSchema), and a small limit: every item costs four judge calls. */
export const defaultAuditFormValues: AuditFormValues = {
  benchmarkId: '',
  judgeKind: 'endpoint',
  model: '',
  endpoint: '',
  kind: 'image',
  runId: '',
  limit: '10',
  attempts: '3',
  concurrency: '1',
};

export const auditFormLimits = {
  limit: { min: 1, max: 10_000 },
  attempts: { min: 1, max: 10 },
  concurrency: { min: 1, max: 64 },
} as const;

export interface AuditFormReading {
  params: JudgeAuditParams | null;
  problems: RunFormProblems;
}

/** Reads the form into eval.auditJudge params, or says what is wrong with each field (keyed by field). */
export function readAuditForm(values: AuditFormValues): AuditFormReading {
  const problems: RunFormProblems = {};
  const benchmarkDatasetId = Number(values.benchmarkId);
  if (values.benchmarkId === '' || !Number.isInteger(benchmarkDatasetId))
    problems.benchmark = 'Choose a benchmark (a STEM2Code dataset).';
  let judge: ModelSpec;
  if (values.judgeKind === 'local') {
    if (values.model.trim() === '') problems.judge = 'Choose the judge model.';
    judge = { kind: 'local', model: values.model.trim() };
  } else {
    if (values.endpoint.trim() === '') problems.judge = 'Choose the judge endpoint.';
    judge = { kind: 'endpoint', endpoint: values.endpoint.trim() };
  }
  const integer = (field: keyof typeof auditFormLimits, text: string, what: string) => {
    const limits = auditFormLimits[field];
    const value = readInteger(text, limits);
    if (value === null) problems[field] = `${what}: a whole number from ${limits.min} to ${limits.max}.`;
    return value;
  };
  const limit = values.limit.trim() === '' ? undefined : integer('limit', values.limit, 'Limit');
  const attempts = integer('attempts', values.attempts, 'Attempts');
  const concurrency = integer('concurrency', values.concurrency, 'Concurrency');
  if (Object.keys(problems).length > 0) return { params: null, problems };
  return {
    problems,
    params: {
      benchmarkDatasetId,
      judge,
      kind: values.kind,
      ...(values.runId !== '' ? { runId: values.runId } : {}),
      ...(limit != null ? { limit } : {}),
      attempts: attempts!,
      concurrency: concurrency!,
    },
  };
}

/** Progress as the chunks report it: judge calls done of all, and the bar's fraction. */
export function auditProgress(
  chunk: { done: number; total: number } | null,
  cancelled = false,
): { label: string; fraction: number } {
  if (!chunk || chunk.total === 0)
    return {
      label: cancelled ? 'Cancelled before the first judge call finished' : 'Loading the judge…',
      fraction: 0,
    };
  const calls = `${chunk.done} of ${chunk.total} judge calls`;
  return {
    label: cancelled ? `Cancelled after ${calls}` : calls,
    fraction: Math.min(1, chunk.done / chunk.total),
  };
}
