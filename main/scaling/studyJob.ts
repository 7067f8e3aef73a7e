import { z } from 'zod';
import type { ModelSpec } from '../api/eval';
import { loadOptionsSchema } from '../api/models';
import type { ChatMessage, ChatResult } from '../api/models';
import { extractCode, stripReasoning } from '../eval/protocol/extractCode';
import { blobPathResolver } from '../eval/run/evalRunJob';
import type { RunModelSources } from '../eval/run/runModels';
import type { JobDefinition } from '../jobs/jobDefinition';
import type { ChatModel } from '../models/chatEngine';
import type { WorkbenchStore } from '../store/workbenchStore';
import { extractAnswer } from './answers/extractAnswer';
import { matchAnswer } from './answers/matchAnswer';
import { captionCacheKey } from './captionCache';
import { ModelSlot } from './modelSlot';
import { PROMPT_VERSION, captionMessages, directMessages, solverMessages } from './prompts';
import type { StoredModel, StudyItemRow, StudyRow, StudyStore } from './studyStore';

export const STUDY_JOB_TYPE = 'scaling.study';

/**
 * Units handed out at once. The model slot and its concurrency limit decide how many calls really run; this
 * only has to exceed the largest `settings.concurrency` so the limit, not the queue, is what binds.
 */
const UNITS_IN_FLIGHT = 256;

export const studyJobParamsSchema = z.object({ studyId: z.string().min(1) }).strict();
export type StudyJobParams = z.infer<typeof studyJobParamsSchema>;

/** A unit of a study: one caption, one solver answer, or one direct answer (indices into the config). */
export type StudyUnit =
  | { kind: 'caption'; captioner: number; itemId: number }
  | { kind: 'answer'; captioner: number; solver: number; itemId: number }
  | { kind: 'direct'; captioner: number; itemId: number };

export function unitKey(unit: StudyUnit): string {
  if (unit.kind === 'caption') return `cap:${unit.captioner}:${unit.itemId}`;
  if (unit.kind === 'answer') return `ans:${unit.captioner}:${unit.solver}:${unit.itemId}`;
  return `dir:${unit.captioner}:${unit.itemId}`;
}

export function unitOfKey(key: string): StudyUnit {
  const parts = key.split(':');
  const n = parts.slice(1).map(Number);
  if (parts[0] === 'cap' && n.length === 2) return { kind: 'caption', captioner: n[0]!, itemId: n[1]! };
  if (parts[0] === 'ans' && n.length === 3)
    return { kind: 'answer', captioner: n[0]!, solver: n[1]!, itemId: n[2]! };
  if (parts[0] === 'dir' && n.length === 2) return { kind: 'direct', captioner: n[0]!, itemId: n[1]! };
  throw new Error(`Not a study unit key: "${key}".`);
}

/**
 * The schedule for real GPUs, one model at a time: captioner A's captions and then its direct answers (the
 * model is loaded already), then captioner B's, …; then each solver answers every (captioner, item).
 */
export function planStudy(study: Pick<StudyRow, 'config'>, itemIds: readonly number[]): string[] {
  const { captioners, solvers, settings } = study.config;
  const keys: string[] = [];
  captioners.forEach((_, c) => {
    for (const itemId of itemIds) keys.push(unitKey({ kind: 'caption', captioner: c, itemId }));
    if (settings.direct)
      for (const itemId of itemIds) keys.push(unitKey({ kind: 'direct', captioner: c, itemId }));
  });
  solvers.forEach((_, s) => {
    captioners.forEach((__, c) => {
      for (const itemId of itemIds) keys.push(unitKey({ kind: 'answer', captioner: c, solver: s, itemId }));
    });
  });
  return keys;
}

export interface StudyJobDeps extends RunModelSources {
  store: WorkbenchStore;
  studies: StudyStore;
}

interface Session {
  study: StudyRow;
  slot: ModelSlot;
}

/** A local model given no load options runs `concurrency` parallel sequences; given options are kept. */
function withParallel(spec: ModelSpec, concurrency: number): ModelSpec {
  if (spec.kind !== 'local' || spec.options) return spec;
  return { ...spec, options: loadOptionsSchema.parse({ parallel: Math.min(64, concurrency) }) };
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * A study as a resumable job. Every outcome is stored in the study tables before its unit is marked done, and
 * every unit first checks those tables, so a unit re-run after a crash repeats no finished call. A model error
 * or an empty caption is stored as a failed answer (counted wrong, shown), never dropped or retried silently.
 */
export function createStudyJob(deps: StudyJobDeps): JobDefinition<StudyJobParams> {
  const sessions = new Map<string, Session>();
  const blobPath = blobPathResolver(deps.store);
  const { studies } = deps;

  function session(jobId: string, studyId: string, signal: AbortSignal): Session {
    let s = sessions.get(jobId);
    if (!s) {
      const study = studies.study(studyId);
      s = { study, slot: new ModelSlot(deps, study.config.settings.concurrency, signal) };
      sessions.set(jobId, s);
    }
    return s;
  }

  /** One chat, logged in the attempts table; an abort rethrows so the unit goes back to pending. */
  async function call(
    load: () => Promise<ChatModel>,
    messages: ChatMessage[],
    study: StudyRow,
    attempt: Parameters<StudyStore['beginAttempt']>[0],
    signal: AbortSignal,
  ): Promise<{ result: ChatResult | null; error: string | null; durationMs: number }> {
    const { maxTokens, temperature, seed } = study.config.settings;
    const id = studies.beginAttempt(attempt);
    const started = performance.now();
    try {
      const model = await load();
      const result = await model.chat({ messages, maxTokens, temperature, seed }, { signal });
      signal.throwIfAborted();
      if (result.stopReason === 'aborted') throw new Error('The call was aborted.');
      studies.finishAttempt(id);
      const durationMs = performance.now() - started;
      if (result.stopReason === 'error')
        return { result, error: 'the model stopped with an error', durationMs };
      return { result, error: null, durationMs };
    } catch (error) {
      if (signal.aborted) throw error;
      studies.finishAttempt(id);
      return { result: null, error: errorText(error), durationMs: performance.now() - started };
    }
  }

  function captionOf(
    raw: string,
    variant: 'caption' | 'code',
  ): { text: string | null; error: string | null } {
    if (variant === 'code') {
      const code = extractCode(raw).code?.trim() ?? '';
      return code ? { text: code, error: null } : { text: null, error: 'no code block in the reply' };
    }
    const text = stripReasoning(raw).trim();
    return text ? { text, error: null } : { text: null, error: 'empty caption' };
  }

  function score(item: StudyItemRow, response: string, tolerance: number) {
    const extracted = extractAnswer(response).answer;
    const choices = parseChoices(item);
    const correct =
      extracted !== null &&
      matchAnswer(extracted, { answer: item.answer ?? '', choices }, { relativeTolerance: tolerance })
        .correct;
    return { extracted, correct };
  }

  async function runCaption(s: Session, c: number, itemId: number, signal: AbortSignal): Promise<string> {
    const { study } = s;
    const captioner = study.config.captioners[c]!;
    if (studies.studyCaption(study.id, captioner.label, itemId)) return 'done before';
    const item = studies.item(itemId);
    const { settings } = study.config;
    const base = { studyId: study.id, captioner: captioner.label, itemId };
    if (!item?.imageSha256) {
      studies.recordCaption({ ...base, cacheKey: '', status: 'failed', error: 'the item has no image' });
      return 'failed';
    }
    const cacheKey = captionCacheKey({
      identity: captioner.identity,
      variant: settings.variant,
      imageSha256: item.imageSha256,
      maxTokens: settings.maxTokens,
      temperature: settings.temperature,
      seed: settings.seed,
    });
    if (studies.cachedCaption(cacheKey) !== null) {
      studies.recordCaption({ ...base, cacheKey, status: 'cached', error: null });
      return 'cached';
    }
    const imageSha256 = item.imageSha256;
    return s.slot.use(withParallel(captioner.spec, settings.concurrency), 'captioner', async (load) => {
      const messages = captionMessages(settings.variant, blobPath(imageSha256));
      const outcome = await call(load, messages, study, { ...base, kind: 'caption', solver: null }, signal);
      const caption = outcome.result ? captionOf(outcome.result.text, settings.variant) : null;
      if (!caption?.text) {
        const error = outcome.error ?? caption?.error ?? 'no caption';
        studies.recordCaption({ ...base, cacheKey, status: 'failed', error });
        return 'failed';
      }
      studies.recordCaption(
        { ...base, cacheKey, status: 'computed', error: null },
        {
          identity: captioner.identity,
          variant: settings.variant,
          promptVersion: PROMPT_VERSION,
          imageSha256,
          text: caption.text,
          raw: outcome.result!.text,
          durationMs: outcome.durationMs,
        },
      );
      return 'computed';
    });
  }

  async function runAnswer(
    s: Session,
    captioner: StoredModel,
    solver: StoredModel | null,
    itemId: number,
    signal: AbortSignal,
  ): Promise<string> {
    const { study } = s;
    const { settings } = study.config;
    const solverLabel = solver?.label ?? '';
    if (studies.hasAnswer(study.id, captioner.label, solverLabel, itemId)) return 'done before';
    const fail = (error: string) => {
      studies.recordAnswer(study.id, {
        captioner: captioner.label,
        solver: solverLabel,
        itemId,
        response: null,
        extracted: null,
        correct: false,
        error,
        durationMs: 0,
      });
      return 'failed';
    };
    const item = studies.item(itemId);
    if (!item) return fail('the item is gone from the dataset');
    const model = solver ?? captioner;
    const role = solver ? 'solver' : 'captioner';
    const kind = solver ? 'answer' : 'direct';
    return s.slot.use(withParallel(model.spec, settings.concurrency), role, async (load) => {
      // Read only now: holding the solver's slot means every caption before it in the plan is stored.
      let messages: ChatMessage[];
      if (solver) {
        const caption = studies.studyCaption(study.id, captioner.label, itemId);
        if (!caption) return fail('no caption: the captioner did not finish this item');
        if (caption.status === 'failed' || caption.text === null)
          return fail(`the caption failed: ${caption.error ?? 'no text'}`);
        messages = solverMessages(settings.variant, caption.text, item.question ?? '', parseChoices(item));
      } else {
        if (!item.imageSha256) return fail('the item has no image');
        messages = directMessages(blobPath(item.imageSha256), item.question ?? '', parseChoices(item));
      }
      const base = { studyId: study.id, captioner: captioner.label, itemId };
      const attempt = { ...base, kind, solver: solver?.label ?? null } as const;
      const outcome = await call(load, messages, study, attempt, signal);
      if (!outcome.result || outcome.error) return fail(outcome.error ?? 'no reply');
      const { extracted, correct } = score(item, outcome.result.text, settings.numericTolerance);
      studies.recordAnswer(study.id, {
        captioner: captioner.label,
        solver: solverLabel,
        itemId,
        response: outcome.result.text,
        extracted,
        correct,
        error: null,
        durationMs: outcome.durationMs,
      });
      return correct ? 'correct' : 'wrong';
    });
  }

  return {
    type: STUDY_JOB_TYPE,
    paramsSchema: studyJobParamsSchema,
    title: ({ studyId }) => `Scaling study "${studies.study(studyId).name}"`,
    concurrency: UNITS_IN_FLIGHT,
    plan({ params }) {
      const study = studies.study(params.studyId);
      return planStudy(study, study.itemIds);
    },
    units: () => ({ label: 'answers', of: (key) => (key.startsWith('cap:') ? 0 : 1) }),
    async runItem({ jobId, params, key, signal }) {
      const s = session(jobId, params.studyId, signal);
      const unit = unitOfKey(key);
      const captioner = s.study.config.captioners[unit.captioner];
      if (!captioner) throw new Error(`Study ${s.study.id} has no captioner #${unit.captioner}.`);
      if (unit.kind === 'caption') return runCaption(s, unit.captioner, unit.itemId, signal);
      if (unit.kind === 'direct') return runAnswer(s, captioner, null, unit.itemId, signal);
      const solver = s.study.config.solvers[unit.solver];
      if (!solver) throw new Error(`Study ${s.study.id} has no solver #${unit.solver}.`);
      return runAnswer(s, captioner, solver, unit.itemId, signal);
    },
    async release({ jobId }) {
      const s = sessions.get(jobId);
      sessions.delete(jobId);
      await s?.slot.dispose();
    },
  };
}

function parseChoices(item: StudyItemRow): string[] | null {
  if (!item.choices) return null;
  const parsed = JSON.parse(item.choices) as unknown;
  return Array.isArray(parsed) && parsed.length > 0 ? parsed.map(String) : null;
}
