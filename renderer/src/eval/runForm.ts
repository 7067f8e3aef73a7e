import type { EvalRunConfigInput, ModelSpec, PerceptualSetting } from '../../../main/api/eval';
import { readDecimal, readInteger } from '../models/formFields';

/** Who answers or judges, as the form holds it: none, a local model file, an endpoint, or a predictions file. */
export type SubjectKind = 'local' | 'endpoint' | 'predictions';
export type JudgeKind = 'none' | 'local' | 'endpoint';

export interface JudgeValues {
  kind: JudgeKind;
  model: string;
  endpoint: string;
}

export type PromptVariant = 'official' | 'no-system';
export type PerceptualFamily = PerceptualSetting['family'];

/** The perceptual model as the form holds it: an empty path means perceptual similarity is off. */
export interface PerceptualValues {
  modelPath: string;
  /** '' until chosen: the family decides the preprocessing, so it is never guessed. */
  family: PerceptualFamily | '';
  outputName: string;
}

/** Everything the run setup form holds, as typed (text fields stay text until they are read). */
export interface RunFormValues {
  name: string;
  benchmarkId: string;
  subjectKind: SubjectKind;
  model: string;
  mmproj: string;
  endpoint: string;
  predictionsPath: string;
  predictionsFormat: 'ours' | 'official';
  imageJudge: JudgeValues;
  codeJudge: JudgeValues;
  blockChoice: 'first' | 'last';
  maxTokens: string;
  temperature: string;
  seed: string;
  /** Answers drawn per item (sample k uses seed + k). */
  samples: string;
  timeoutS: string;
  width: string;
  height: string;
  dpi: string;
  generationConcurrency: string;
  judgeConcurrency: string;
  judgeAttempts: string;
  promptVariant: PromptVariant;
  perceptual: PerceptualValues;
  categories: string[];
  limit: string;
}

/** The engine's defaults (main/api/eval.ts evalSettingsSchema), shown in the form. */
export const defaultRunFormValues: RunFormValues = {
  name: '',
  benchmarkId: '',
  subjectKind: 'predictions',
  model: '',
  mmproj: '',
  endpoint: '',
  predictionsPath: '',
  predictionsFormat: 'ours',
  imageJudge: { kind: 'none', model: '', endpoint: '' },
  codeJudge: { kind: 'none', model: '', endpoint: '' },
  blockChoice: 'first',
  maxTokens: '4096',
  temperature: '0',
  seed: '0',
  samples: '1',
  timeoutS: '30',
  width: '800',
  height: '600',
  dpi: '100',
  generationConcurrency: '1',
  judgeConcurrency: '4',
  judgeAttempts: '3',
  promptVariant: 'official',
  perceptual: { modelPath: '', family: '', outputName: '' },
  categories: [],
  limit: '',
};

export const runFormLimits = {
  maxTokens: { min: 1, max: 1_000_000 },
  temperature: { min: 0, max: 5 },
  seed: { min: -2_147_483_648, max: 2_147_483_647 },
  samples: { min: 1, max: 64 },
  timeoutS: { min: 1, max: 3600 },
  side: { min: 64, max: 4096 },
  dpi: { min: 10, max: 600 },
  concurrency: { min: 1, max: 256 },
  judgeAttempts: { min: 1, max: 10 },
  limit: { min: 1, max: 1_000_000 },
} as const;

/** A field's problem, keyed by the field, so the form can show it next to the input. */
export type RunFormProblems = Partial<Record<string, string>>;

export interface RunFormReading {
  config: EvalRunConfigInput | null;
  problems: RunFormProblems;
}

function judgeSpec(
  values: JudgeValues,
  field: string,
  problems: RunFormProblems,
): ModelSpec | null | undefined {
  if (values.kind === 'none') return null;
  if (values.kind === 'local') {
    if (values.model.trim() === '') problems[field] = 'Choose the judge model.';
    return { kind: 'local', model: values.model.trim() };
  }
  if (values.endpoint.trim() === '') problems[field] = 'Choose the judge endpoint.';
  return { kind: 'endpoint', endpoint: values.endpoint.trim() };
}

/**
 * settings.perceptual from the form: null when no model path is given (off) or when a field is wrong; the path
 * must name an .onnx file and the family be chosen (problems under `perceptualPath`, `perceptualFamily`).
 */
export function readPerceptual(
  values: PerceptualValues,
  problems: RunFormProblems,
): PerceptualSetting | null {
  const modelPath = values.modelPath.trim();
  if (modelPath === '') return null;
  if (!/\.onnx$/i.test(modelPath))
    problems.perceptualPath =
      'Perceptual model: the path of an .onnx file (a CLIP, SigLIP or DINOv2 image encoder).';
  if (values.family === '')
    problems.perceptualFamily =
      'Choose the model’s family: it decides how images are resized and normalised.';
  if (problems.perceptualPath || values.family === '') return null;
  const outputName = values.outputName.trim();
  return { modelPath, family: values.family, ...(outputName !== '' ? { outputName } : {}) };
}

/** The default run name: subject and benchmark, so the runs list reads without opening each run. */
export function suggestedRunName(values: RunFormValues, benchmarkName: string | null): string {
  const subject =
    values.subjectKind === 'predictions'
      ? (values.predictionsPath.split(/[\\/]/).pop() ?? '')
      : values.subjectKind === 'local'
        ? (values.model.split(/[\\/]/).pop() ?? '')
        : values.endpoint;
  // Trimmed as the config's paths are, so a stray space does not end up in the run's name.
  return [subject.trim() || 'run', benchmarkName ?? ''].filter(Boolean).join(' on ');
}

/**
 * Reads the form into an `eval.start` config, or says what is wrong with each field. The engine validates
 * again (and checks files and models exist); this catches what a person can fix before pressing Start.
 */
export function readRunForm(values: RunFormValues, benchmarkName: string | null): RunFormReading {
  const problems: RunFormProblems = {};
  const benchmarkDatasetId = Number(values.benchmarkId);
  if (values.benchmarkId === '' || !Number.isInteger(benchmarkDatasetId))
    problems.benchmark = 'Choose a benchmark (a STEM2Code dataset).';

  let subject: EvalRunConfigInput['subject'];
  if (values.subjectKind === 'predictions') {
    const path = values.predictionsPath.trim();
    if (path === '') problems.subject = 'Give the path of the predictions JSONL.';
    else if (!/\.jsonl?$/i.test(path)) problems.subject = 'Predictions are a .jsonl file.';
    subject = { kind: 'predictions', path, format: values.predictionsFormat };
  } else if (values.subjectKind === 'local') {
    if (values.model.trim() === '') problems.subject = 'Choose the model under test.';
    subject = {
      kind: 'local',
      model: values.model.trim(),
      ...(values.mmproj.trim() !== '' ? { mmproj: values.mmproj.trim() } : {}),
    };
  } else {
    if (values.endpoint.trim() === '') problems.subject = 'Choose an endpoint.';
    subject = { kind: 'endpoint', endpoint: values.endpoint.trim() };
  }
  const imageJudge = judgeSpec(values.imageJudge, 'imageJudge', problems);
  const codeJudge = judgeSpec(values.codeJudge, 'codeJudge', problems);

  const integer = (field: string, text: string, limits: { min: number; max: number }, what: string) => {
    const value = readInteger(text, limits);
    if (value === null) problems[field] = `${what}: a whole number from ${limits.min} to ${limits.max}.`;
    return value;
  };
  const maxTokens = integer('maxTokens', values.maxTokens, runFormLimits.maxTokens, 'Max tokens');
  const temperature = readDecimal(values.temperature, runFormLimits.temperature);
  if (temperature === null) problems.temperature = 'Temperature: a number from 0 to 5.';
  const seed = integer('seed', values.seed, runFormLimits.seed, 'Seed');
  const samples = integer('samples', values.samples, runFormLimits.samples, 'Samples per item');
  const timeoutS = integer('timeoutS', values.timeoutS, runFormLimits.timeoutS, 'Timeout');
  const width = integer('width', values.width, runFormLimits.side, 'Width');
  const height = integer('height', values.height, runFormLimits.side, 'Height');
  const dpi = integer('dpi', values.dpi, runFormLimits.dpi, 'DPI');
  const generationConcurrency = integer(
    'generationConcurrency',
    values.generationConcurrency,
    runFormLimits.concurrency,
    'Generation concurrency',
  );
  const judgeConcurrency = integer(
    'judgeConcurrency',
    values.judgeConcurrency,
    runFormLimits.concurrency,
    'Judge concurrency',
  );
  const judgeAttempts = integer(
    'judgeAttempts',
    values.judgeAttempts,
    runFormLimits.judgeAttempts,
    'Judge attempts',
  );
  const perceptual = readPerceptual(values.perceptual, problems);
  const limit =
    values.limit.trim() === '' ? undefined : integer('limit', values.limit, runFormLimits.limit, 'Limit');

  const name = (values.name.trim() || suggestedRunName(values, benchmarkName)).slice(0, 200);
  if (Object.keys(problems).length > 0) return { config: null, problems };
  return {
    problems,
    config: {
      name,
      benchmarkDatasetId,
      subject,
      imageJudge: imageJudge ?? null,
      codeJudge: codeJudge ?? null,
      settings: {
        blockChoice: values.blockChoice,
        maxTokens: maxTokens!,
        temperature: temperature!,
        seed: seed!,
        timeoutS: timeoutS!,
        canonical: { width: width!, height: height!, dpi: dpi! },
        generationConcurrency: generationConcurrency!,
        judgeConcurrency: judgeConcurrency!,
        judgeAttempts: judgeAttempts!,
        promptVariant: values.promptVariant,
        perceptual,
        ...(values.categories.length > 0 ? { categories: values.categories } : {}),
        ...(limit != null ? { limit } : {}),
        // Said only when several: one sample is the engine's default, so one-answer configs stay as they were.
        ...(samples !== 1 ? { samples: samples! } : {}),
      },
    },
  };
}
