import type { DeterministicMetrics, EvalItemResult, FailureClass, Judgment } from '../../main/api/eval';

/** A judgment with a score, or an unscored one after `failures` failed attempts. */
export function judgment(score: number | null, failures = 0): Judgment {
  return {
    score,
    reply: score === null ? 'no score here' : `Score: ${score}/100`,
    attempts: score === null ? failures : failures + 1,
    failures,
    error: null,
  };
}

/** Every metric at one value, except the two this build does not compute (null). */
export function metricsAt(value: number): DeterministicMetrics {
  return {
    version: 1,
    ssim: value,
    foregroundIou: value,
    edgeF1: null,
    textF1: value,
    tickLabelF1: value,
    elementTypeF1: value,
    colorF1: value,
    layoutF1: value,
    axesBoxIoU: value,
    axisFidelity: value,
    primitiveF1: value,
    curveFidelity: value,
    perceptual: null,
  };
}

export interface ItemSpec {
  uid: string;
  category?: string | null;
  /** null = executed; otherwise the failure class. */
  failure?: FailureClass | null;
  imageWritten?: boolean;
  exceptionType?: string;
  image?: Judgment | null;
  code?: Judgment | null;
  metric?: number;
  source?: string;
}

export function item(spec: ItemSpec, itemId = Number(spec.uid.replace(/\D/g, '')) || 0): EvalItemResult {
  const failure = spec.failure ?? null;
  const executed = failure === null;
  return {
    itemId,
    uid: spec.uid,
    category: spec.category ?? null,
    generation: { response: 'resp', latencyMs: 12, tokens: 34, error: null },
    code: spec.source ?? 'import matplotlib.pyplot as plt\nplt.plot([1, 2])',
    official: {
      status: executed
        ? 'ok'
        : failure === 'runtime'
          ? 'runtime_error'
          : failure === 'syntax'
            ? 'syntax_error'
            : 'timeout',
      executed,
      imageWritten: spec.imageWritten ?? executed,
      imageSha256: executed || spec.imageWritten ? `sha-render-${spec.uid}` : null,
      failureMessage: executed ? null : `${spec.exceptionType ?? failure}: boom`,
      exceptionType: spec.exceptionType ?? null,
    },
    canonical: executed ? { status: 'ok', imageSha256: `sha-canon-${spec.uid}`, traceSha256: null } : null,
    failure,
    metrics: executed && spec.metric !== undefined ? metricsAt(spec.metric) : null,
    imageJudgment: spec.image === undefined ? null : spec.image,
    codeJudgment: spec.code === undefined ? null : spec.code,
  };
}

/**
 * The hand-computed six-item run (two categories):
 *
 * | uid | cat | executed | image written | image | code | metric |
 * | u0  | geo | yes      | yes           | 80    | 70   | 0.9    |
 * | u1  | geo | yes      | yes           | 60    | 50   | 0.6    |
 * | u2  | geo | syntax   | no            | 0     | 40   | –      |
 * | u3  | plt | yes      | yes           | null (3 failed attempts) | 90 | 0.3 |
 * | u4  | plt | runtime ZeroDivisionError | yes (crash after save) | 0 | 30 | – |
 * | u5  | plt | timeout  | no            | 0     | null (3 failed attempts) | – |
 */
export function sixItemRun(): EvalItemResult[] {
  return [
    item({ uid: 'u0', category: 'geometry', image: judgment(80), code: judgment(70), metric: 0.9 }),
    item({ uid: 'u1', category: 'geometry', image: judgment(60), code: judgment(50), metric: 0.6 }),
    item({ uid: 'u2', category: 'geometry', failure: 'syntax', image: judgment(0), code: judgment(40) }),
    item({ uid: 'u3', category: 'plot', image: judgment(null, 3), code: judgment(90), metric: 0.3 }),
    item({
      uid: 'u4',
      category: 'plot',
      failure: 'runtime',
      exceptionType: 'ZeroDivisionError',
      imageWritten: true,
      image: judgment(0),
      code: judgment(30),
    }),
    item({ uid: 'u5', category: 'plot', failure: 'timeout', image: judgment(0), code: judgment(null, 3) }),
  ];
}
