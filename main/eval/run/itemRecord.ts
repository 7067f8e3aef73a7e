import type { DeterministicMetrics, EvalItemResult, FailureClass, Judgment } from '../../api/eval';
import type { RenderFailure, RenderStatus } from '../../api/render';

/** A benchmark item as the pipeline needs it. */
export interface BenchmarkItem {
  id: number;
  uid: string;
  category: string | null;
  /** The reference code. */
  code: string;
  imageSha256: string | null;
}

/** Stored value of each stage (a superset of what the item record shows). */
export interface GenerationValue {
  response: string;
  latencyMs: number | null;
  tokens: number | null;
  error: string | null;
  /** The official results file holds extracted code, not a raw answer: extraction takes it as it is. */
  isCode: boolean;
}

export interface ExtractionValue {
  code: string | null;
  rule: 'python-block' | 'bare-block' | 'none' | 'given';
}

export interface OfficialValue {
  status: RenderStatus;
  executed: boolean;
  imageWritten: boolean;
  imageSha256: string | null;
  failure: RenderFailure | null;
  failureMessage: string | null;
  exceptionType: string | null;
  /** The protocol's class of the failure (failureFromRender); null when it executed. */
  failureClass: FailureClass | null;
}

export interface CanonicalValue {
  status: RenderStatus;
  imageSha256: string | null;
  traceSha256: string | null;
}

export interface StageValues {
  generation?: GenerationValue;
  extraction?: ExtractionValue;
  official?: OfficialValue | null;
  canonical?: CanonicalValue | null;
  reference?: CanonicalValue;
  metrics?: DeterministicMetrics | null;
  imageJudgment?: Judgment | null;
  codeJudgment?: Judgment | null;
}

/** The protocol's failure class of an item from what its stages found so far. */
export function itemFailure(values: StageValues): FailureClass | null {
  if (values.generation?.error) return 'generation_failed';
  if (values.extraction && values.extraction.code === null) return 'no_code';
  if (!values.official) return null;
  return values.official.failureClass;
}

/** The record (evalItemResultSchema) of one answer to an item, from the stage values found so far. */
export function itemRecord(item: BenchmarkItem, sample: number, values: StageValues): EvalItemResult {
  const g = values.generation;
  const o = values.official;
  const c = values.canonical;
  return {
    itemId: item.id,
    uid: item.uid,
    category: item.category,
    sample,
    generation: g ? { response: g.response, latencyMs: g.latencyMs, tokens: g.tokens, error: g.error } : null,
    code: values.extraction?.code ?? null,
    official: o
      ? {
          status: o.status,
          executed: o.executed,
          imageWritten: o.imageWritten,
          imageSha256: o.imageSha256,
          failureMessage: o.failureMessage,
          exceptionType: o.exceptionType,
        }
      : null,
    canonical: c ? { status: c.status, imageSha256: c.imageSha256, traceSha256: c.traceSha256 } : null,
    failure: itemFailure(values),
    metrics: values.metrics ?? null,
    imageJudgment: values.imageJudgment ?? null,
    codeJudgment: values.codeJudgment ?? null,
  };
}
