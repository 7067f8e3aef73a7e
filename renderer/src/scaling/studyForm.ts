import type { CaptionVariant, StudyConfigInput, StudyModelInput } from '../../../main/api/scaling';
import { readInteger } from '../models/formFields';
import type { ModelOption } from './modelOptions';
import { PARAMETER_HINT, parseParameterCount } from '../../../main/api/parameterCount';

/** A model ticked in the form, with the parameter count typed for it (used when the file gives none). */
export interface PickedModel {
  key: string;
  parametersText: string;
}

/** Everything the new-study form holds, as typed (number fields stay text until read). */
export interface StudyFormValues {
  name: string;
  datasetId: string;
  captioners: PickedModel[];
  solvers: PickedModel[];
  variant: CaptionVariant;
  direct: boolean;
  maxTokens: string;
  limit: string;
  concurrency: string;
}

/** The engine's defaults (main/api/scaling.ts studySettingsSchema); a small limit keeps a first study quick. */
export const defaultStudyFormValues: StudyFormValues = {
  name: '',
  datasetId: '',
  captioners: [],
  solvers: [],
  variant: 'caption',
  direct: false,
  maxTokens: '1024',
  limit: '',
  concurrency: '1',
};

export const studyFormLimits = {
  maxTokens: { min: 1, max: 1_000_000 },
  concurrency: { min: 1, max: 256 },
  limit: { min: 1, max: 10_000_000 },
} as const;

/** Problems by field; model parameter problems are keyed `captioners:<key>` / `solvers:<key>`. */
export type StudyFormProblems = Partial<Record<string, string>>;

export interface StudyFormChoices {
  captioners: readonly ModelOption[];
  solvers: readonly ModelOption[];
}

/** Ticks or unticks a model, keeping the order in which models were ticked. */
export function togglePicked(picked: readonly PickedModel[], key: string, on: boolean): PickedModel[] {
  const without = picked.filter((p) => p.key !== key);
  return on ? [...without, { key, parametersText: '' }] : without;
}

export function setPickedParameters(
  picked: readonly PickedModel[],
  key: string,
  text: string,
): PickedModel[] {
  return picked.map((p) => (p.key === key ? { ...p, parametersText: text } : p));
}

/** "3 captioners × 2 solvers on vqa-mini", so the studies list reads without opening each study. */
export function suggestedStudyName(captioners: number, solvers: number, datasetName: string | null): string {
  const grid = `${captioners} captioner${captioners === 1 ? '' : 's'} × ${solvers} solver${solvers === 1 ? '' : 's'}`;
  return datasetName ? `${grid} on ${datasetName}` : grid;
}

function readModels(
  role: 'captioners' | 'solvers',
  picked: readonly PickedModel[],
  options: readonly ModelOption[],
  problems: StudyFormProblems,
): StudyModelInput[] {
  const out: StudyModelInput[] = [];
  for (const p of picked) {
    const option = options.find((o) => o.key === p.key);
    if (!option) {
      problems[`${role}:${p.key}`] = `${p.key.replace(/^\w+:/, '')} is no longer available; untick it.`;
      continue;
    }
    const text = p.parametersText.trim();
    // A count from the GGUF wins; a typed one fills in for endpoints and files that do not say.
    let parameters: number | null | undefined = option.parameters ?? undefined;
    if (option.parameters === null && text !== '') {
      parameters = parseParameterCount(text);
      if (parameters === null)
        problems[`${role}:${p.key}`] = `Parameters of ${option.label}: ${PARAMETER_HINT}.`;
    }
    out.push({ label: option.label, spec: option.spec, ...(parameters != null ? { parameters } : {}) });
  }
  return out;
}

/**
 * Reads the form into a `scaling.start` config, or says what is wrong with each field. The engine validates
 * again (the dataset's kind, that models exist); this catches what a person can fix before pressing Start.
 */
export function readStudyForm(
  values: StudyFormValues,
  choices: StudyFormChoices,
  datasetName: string | null,
): { config: StudyConfigInput | null; problems: StudyFormProblems } {
  const problems: StudyFormProblems = {};
  const datasetId = Number(values.datasetId);
  if (values.datasetId === '' || !Number.isInteger(datasetId))
    problems.dataset = 'Choose a benchmark (a VQA dataset: question, answer, image).';
  if (values.captioners.length === 0) problems.captioners = 'Tick at least one captioner (a vision model).';
  if (values.solvers.length === 0 && !values.direct)
    problems.solvers = 'Tick at least one solver, or run only the direct baseline.';
  const captioners = readModels('captioners', values.captioners, choices.captioners, problems);
  const solvers = readModels('solvers', values.solvers, choices.solvers, problems);

  const integer = (field: keyof typeof studyFormLimits, text: string, what: string) => {
    const limits = studyFormLimits[field];
    const value = readInteger(text, limits);
    if (value === null) problems[field] = `${what}: a whole number from ${limits.min} to ${limits.max}.`;
    return value;
  };
  const maxTokens = integer('maxTokens', values.maxTokens, 'Max tokens');
  const concurrency = integer('concurrency', values.concurrency, 'Concurrency');
  const limit = values.limit.trim() === '' ? undefined : integer('limit', values.limit, 'Limit');

  const name = (
    values.name.trim() || suggestedStudyName(values.captioners.length, values.solvers.length, datasetName)
  ).slice(0, 200);
  if (Object.keys(problems).length > 0) return { config: null, problems };
  return {
    problems,
    config: {
      name,
      datasetId,
      captioners,
      solvers,
      settings: {
        variant: values.variant,
        direct: values.direct,
        maxTokens: maxTokens!,
        concurrency: concurrency!,
        ...(limit != null ? { limit } : {}),
      },
    },
  };
}
