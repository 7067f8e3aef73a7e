import type { DeterministicMetrics, EvalSettings, EvalStage, Judgment } from '../../api/eval';
import type { RenderOptionsInput, RenderOutcome } from '../../api/render';
import type { Trace } from '../../api/trace';
import type { PerceptualScorer } from '../perceptual/perceptualScorer';
import type { MetricsComputer } from '../metrics/metricsComputer';
import type { ChatModel } from '../../models/chatEngine';
import type { ConcurrencyLimit } from '../../models/concurrencyLimit';
import type { RenderService } from '../../render/renderService';
import type { BlobStore } from '../../store/blobStore';
import { judgeCode } from '../judges/codeJudge';
import { judgeImage } from '../judges/imageJudge';
import { extractCode } from '../protocol/extractCode';
import { GENERATION_SYSTEM_PROMPT, GENERATION_USER_PROMPT } from '../protocol/prompts';
import { deterministicMetrics, metricsCacheKey } from './deterministicMetrics';
import type { CanonicalSide } from './deterministicMetrics';
import type { EvalRunStore } from './evalRunStore';
import type { PerceptualIdentity } from './perceptualModel';
import { exceptionTypeOf, failureFromRender, failureMessageOf } from './failureClass';
import { itemRecord } from './itemRecord';
import type {
  BenchmarkItem,
  CanonicalValue,
  ExtractionValue,
  GenerationValue,
  OfficialValue,
  StageValues,
} from './itemRecord';
import type { Predictions } from './predictionsFile';

/** Where the answers come from: a model asked with the protocol prompt, or a predictions file. */
export type AnswerSource =
  | { kind: 'model'; model: () => Promise<ChatModel>; limit: ConcurrencyLimit }
  | { kind: 'predictions'; predictions: () => Promise<Predictions> };

export interface ItemPipelineContext {
  runId: string;
  settings: EvalSettings;
  store: EvalRunStore;
  render: RenderService;
  blobs: BlobStore;
  answers: AnswerSource;
  imageJudge: (() => Promise<ChatModel>) | null;
  codeJudge: (() => Promise<ChatModel>) | null;
  judgeLimit: ConcurrencyLimit;
  /** Where the deterministic metrics run: the engine's metrics pool, off the engine's event loop. */
  metrics: MetricsComputer;
  /** The run's perceptual model, loaded once on first use (null: the run computes no perceptual similarity). */
  perceptual: (() => Promise<{ scorer: PerceptualScorer; identity: PerceptualIdentity }>) | null;
  /** The path of a stored blob (a benchmark image may be PNG or JPEG). */
  blobPath: (sha256: string) => string;
  /**
   * Reference renders in flight, by item id: an item's samples share one reference stage (stored under
   * sample 0), so concurrent samples wait for it instead of rendering and logging it again.
   */
  references: Map<number, Promise<CanonicalValue>>;
}

/** A judgment made without asking the judge, by the protocol's rules; the reply says why. */
function ruledJudgment(reason: string): Judgment {
  return { score: 0, reply: reason, attempts: 0, failures: 0, error: null };
}

/**
 * The protocol prompt: system, then the user's text and the image, in that order. The no-system variant sends
 * the user message alone, for chat templates that reject a system turn.
 */
export function generationMessages(imagePath: string, variant: EvalSettings['promptVariant'] = 'official') {
  const user = {
    role: 'user' as const,
    content: [
      { type: 'text' as const, text: GENERATION_USER_PROMPT },
      { type: 'image' as const, image: imagePath },
    ],
  };
  return variant === 'no-system'
    ? [user]
    : [{ role: 'system' as const, content: GENERATION_SYSTEM_PROMPT }, user];
}

/**
 * One answer to an item (its sample `sample`) through every stage: generate → extract → official render (Exec
 * Rate) → canonical renders of the candidate and the reference code → deterministic metrics → judges. Each
 * stage's value is stored under the sample as soon as it is known and read back instead of recomputed, so a
 * resumed run continues at the first missing stage. The reference render is the item's, shared by its samples.
 * Concurrency comes from the caller running many answers at once: each stage waits only for its own resource
 * (a generation slot, a render worker, a judge slot).
 */
export async function runItemPipeline(
  ctx: ItemPipelineContext,
  item: BenchmarkItem,
  sample: number,
  signal: AbortSignal,
): Promise<{ failure: string | null }> {
  const values: StageValues = {};
  const save = (complete: boolean) =>
    ctx.store.saveResult(ctx.runId, itemRecord(item, sample, values), complete);

  /** Reads a finished stage, or computes and stores it (the attempt logged first, so crashes show). */
  async function stage<T>(
    name: EvalStage,
    compute: () => Promise<{ value: T; cached: boolean }>,
    limit?: ConcurrencyLimit,
    at = sample,
  ): Promise<T> {
    const done = ctx.store.stage<T>(ctx.runId, item.id, at, name);
    if (done) return done.value;
    const release = limit ? await limit.acquire(signal) : null;
    try {
      signal.throwIfAborted();
      ctx.store.recordAttempt(ctx.runId, item.id, at, name);
      const started = performance.now();
      const { value, cached } = await compute();
      // Work cut short by a pause or cancel is not a finished stage (engines resolve aborted chats with text).
      signal.throwIfAborted();
      ctx.store.saveStage(ctx.runId, item.id, at, name, value, {
        cached,
        durationMs: performance.now() - started,
      });
      return value;
    } finally {
      release?.();
    }
  }

  const computed = <T>(value: T) => Promise.resolve({ value, cached: false });

  values.generation = await stage('generation', () => generate(ctx, item, sample, signal));
  save(false);
  values.extraction = await stage('extraction', () => computed(extract(ctx.settings, values.generation!)));
  save(false);
  const code = values.generation.error ? null : values.extraction.code;

  const canonicalOptions: RenderOptionsInput = {
    mode: 'canonical',
    ...ctx.settings.canonical,
    timeoutMs: ctx.settings.timeoutS * 1000,
    trace: true,
  };
  // The reference renders while the candidate runs: both feed the metrics, neither waits for the other.
  let referenceStage = ctx.references.get(item.id);
  if (!referenceStage) {
    const started = stage(
      'reference',
      async () => {
        const outcome = await ctx.render.render(item.code, canonicalOptions, { signal });
        return { value: canonicalValue(ctx.blobs, outcome), cached: outcome.cached };
      },
      undefined,
      0,
    );
    referenceStage = started;
    ctx.references.set(item.id, started);
    const forget = () => {
      if (ctx.references.get(item.id) === started) ctx.references.delete(item.id);
    };
    started.then(forget, forget);
  }
  // A rejected reference render must not go unhandled while the candidate's stages run.
  referenceStage.catch(() => undefined);

  if (code !== null) {
    values.official = await stage('official', async () => {
      const outcome = await ctx.render.render(
        code,
        { mode: 'official', timeoutMs: ctx.settings.timeoutS * 1000, trace: false },
        { signal },
      );
      return { value: officialValue(outcome), cached: outcome.cached };
    });
    save(false);
    // Canonical renders feed the metrics, which only executed code gets (failures count 0 in strict means).
    if (values.official.executed) {
      values.canonical = await stage('canonical', async () => {
        const outcome = await ctx.render.render(code, canonicalOptions, { signal });
        return { value: canonicalValue(ctx.blobs, outcome), cached: outcome.cached };
      });
      save(false);
    }
  }
  values.reference = await referenceStage;

  values.metrics = await stage('metrics', () =>
    metrics(ctx, values.canonical ?? null, values.reference!, signal),
  );
  save(false);

  const judges: Promise<void>[] = [];
  if (ctx.imageJudge) {
    const model = ctx.imageJudge;
    judges.push(
      stage(
        'imageJudgment',
        () => judgeRender(ctx, item, values.official ?? null, model, signal),
        ctx.judgeLimit,
      ).then((j) => {
        values.imageJudgment = j;
        save(false);
      }),
    );
  }
  if (ctx.codeJudge) {
    const model = ctx.codeJudge;
    judges.push(
      stage('codeJudgment', () => judgeTheCode(ctx, item, code, model, signal), ctx.judgeLimit).then((j) => {
        values.codeJudgment = j;
        save(false);
      }),
    );
  }
  await Promise.all(judges);
  save(true);
  return { failure: itemRecord(item, sample, values).failure };
}

async function generate(
  ctx: ItemPipelineContext,
  item: BenchmarkItem,
  sample: number,
  signal: AbortSignal,
): Promise<{ value: GenerationValue; cached: boolean }> {
  const failed = (error: string): { value: GenerationValue; cached: boolean } => ({
    value: { response: '', latencyMs: null, tokens: null, error, isCode: false },
    cached: false,
  });
  if (ctx.answers.kind === 'predictions') {
    const prediction = (await ctx.answers.predictions()).get(item.uid, sample);
    if (!prediction)
      return failed(
        `The predictions file has no line for uid "${item.uid}"${sample > 0 ? ` sample ${sample}` : ''}.`,
      );
    return {
      value: {
        response: prediction.response,
        latencyMs: prediction.latencyMs,
        tokens: prediction.tokens,
        error: null,
        isCode: prediction.isCode,
      },
      cached: false,
    };
  }
  if (!item.imageSha256) return failed(`Benchmark item ${item.uid} has no image to show the model.`);
  const model = await ctx.answers.model();
  const release = await ctx.answers.limit.acquire(signal);
  try {
    const result = await model.chat(
      {
        // Runs stored before the setting existed used the official prompt.
        messages: generationMessages(
          ctx.blobPath(item.imageSha256),
          ctx.settings.promptVariant ?? 'official',
        ),
        maxTokens: ctx.settings.maxTokens,
        temperature: ctx.settings.temperature,
        // Sample k draws with seed + k: the samples differ at temperature > 0 and each reproduces.
        seed: ctx.settings.seed + sample,
      },
      { signal },
    );
    signal.throwIfAborted();
    if (result.stopReason === 'error')
      return failed(`The model stopped with an error after: ${result.text.slice(0, 200)}`);
    return {
      value: {
        response: result.text,
        latencyMs: result.timings.totalMs,
        tokens: result.tokens.completion,
        error: null,
        isCode: false,
      },
      cached: false,
    };
  } catch (error) {
    signal.throwIfAborted();
    return failed(`Generation failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    release();
  }
}

function extract(settings: EvalSettings, generation: GenerationValue): ExtractionValue {
  if (generation.error) return { code: null, rule: 'none' };
  if (generation.isCode)
    return generation.response.trim() === ''
      ? { code: null, rule: 'none' }
      : { code: generation.response, rule: 'given' };
  const { code, rule } = extractCode(generation.response, settings.blockChoice);
  return { code, rule };
}

function officialValue(outcome: RenderOutcome): OfficialValue {
  const failureClass = failureFromRender(outcome.status, outcome.failure);
  return {
    status: outcome.status,
    executed: outcome.status === 'ok',
    imageWritten: outcome.image !== null,
    imageSha256: outcome.image?.sha256 ?? null,
    failure: outcome.failure,
    failureMessage: failureMessageOf(outcome.failure),
    exceptionType: exceptionTypeOf(outcome.status, outcome.failure),
    failureClass,
  };
}

function canonicalValue(blobs: BlobStore, outcome: RenderOutcome): CanonicalValue {
  // The same bytes the render cache stored, so this names the cached trace blob (put is idempotent).
  const trace = outcome.trace ? blobs.put(Buffer.from(JSON.stringify(outcome.trace)), 'json').sha256 : null;
  return { status: outcome.status, imageSha256: outcome.image?.sha256 ?? null, traceSha256: trace };
}

function canonicalSide(blobs: BlobStore, value: CanonicalValue | null): CanonicalSide | null {
  if (!value || value.status !== 'ok' || !value.imageSha256 || !value.traceSha256) return null;
  return {
    png: blobs.read(value.imageSha256),
    imageSha256: value.imageSha256,
    trace: JSON.parse(blobs.read(value.traceSha256).toString('utf8')) as Trace,
    traceSha256: value.traceSha256,
  };
}

/** Metrics of the candidate's canonical render vs the reference's, cached by the content of both. */
async function metrics(
  ctx: ItemPipelineContext,
  candidateValue: CanonicalValue | null,
  referenceValue: CanonicalValue,
  signal: AbortSignal,
): Promise<{ value: DeterministicMetrics | null; cached: boolean }> {
  const candidate = canonicalSide(ctx.blobs, candidateValue);
  const reference = canonicalSide(ctx.blobs, referenceValue);
  if (!candidate || !reference) return { value: null, cached: false };
  const perceptual = ctx.perceptual ? await ctx.perceptual() : null;
  const key = metricsCacheKey(candidate, reference, perceptual?.identity ?? null);
  const hit = ctx.store.cached<DeterministicMetrics>(key);
  if (hit) return { value: hit, cached: true };
  const value = await deterministicMetrics(candidate, reference, {
    metrics: ctx.metrics,
    perceptual: perceptual?.scorer ?? null,
    signal,
  });
  ctx.store.putCache(key, 'metrics', value);
  return { value, cached: false };
}

async function judgeRender(
  ctx: ItemPipelineContext,
  item: BenchmarkItem,
  official: OfficialValue | null,
  judge: () => Promise<ChatModel>,
  signal: AbortSignal,
): Promise<{ value: Judgment; cached: boolean }> {
  if (!official?.executed || !official.imageSha256)
    return {
      value: ruledJudgment('Execution failed: Image Score 0 by the protocol; the judge was not asked.'),
      cached: false,
    };
  if (!item.imageSha256)
    return {
      value: {
        score: null,
        reply: '',
        attempts: 0,
        failures: 0,
        error: `Benchmark item ${item.uid} has no reference image to judge against.`,
      },
      cached: false,
    };
  const value = await judgeImage(
    await judge(),
    { referenceImage: ctx.blobPath(item.imageSha256), candidateImage: ctx.blobPath(official.imageSha256) },
    { attempts: ctx.settings.judgeAttempts, signal },
  );
  return { value, cached: false };
}

async function judgeTheCode(
  ctx: ItemPipelineContext,
  item: BenchmarkItem,
  code: string | null,
  judge: () => Promise<ChatModel>,
  signal: AbortSignal,
): Promise<{ value: Judgment; cached: boolean }> {
  if (code === null)
    return {
      value: ruledJudgment('No code was extracted: Code Score 0; the judge was not asked.'),
      cached: false,
    };
  const value = await judgeCode(
    await judge(),
    { referenceCode: item.code, candidateCode: code },
    { attempts: ctx.settings.judgeAttempts, signal },
  );
  return { value, cached: false };
}
