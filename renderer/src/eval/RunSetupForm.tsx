import { useEffect, useMemo, useState } from 'react';
import type { Dataset } from '../../../main/api/datasets';
import type { EndpointView } from '../../../main/api/endpoints';
import type { LoadedModel, ModelFile } from '../../../main/api/models';
import { useEngine } from '../api/EngineContext';
import { useStartForm } from '../api/useStartForm';
import { FieldProblem, NumberField, RefusalBanner } from '../components/FormFields';
import { Icon } from '../components/Icon';
import { defaultRunFormValues, readRunForm } from './runForm';
import type {
  JudgeValues,
  PerceptualFamily,
  PerceptualValues,
  RunFormProblems,
  RunFormValues,
} from './runForm';

export interface Choices {
  benchmarks: Dataset[];
  modelFiles: ModelFile[];
  /** ONNX files in the models folders (candidate perceptual models). */
  onnxFiles: ModelFile[];
  loaded: LoadedModel[];
  endpoints: EndpointView[];
  categories: string[];
}

/** What the form can offer: stem2code datasets, model files (registered first), loaded models, endpoints. */
export function useChoices(benchmarkId: string): Choices {
  const { client } = useEngine();
  const [choices, setChoices] = useState<Omit<Choices, 'categories'>>({
    benchmarks: [],
    modelFiles: [],
    onnxFiles: [],
    loaded: [],
    endpoints: [],
  });
  const [categories, setCategories] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    const settle = <T,>(p: Promise<T>, empty: T) => p.catch(() => empty);
    void Promise.all([
      settle(client.call('datasets.list', {}), []),
      settle(client.call('models.list', {}), []),
      settle(client.call('models.loaded', {}), []),
      settle(client.call('endpoints.list', {}), []),
    ]).then(([datasets, modelFiles, loaded, endpoints]) => {
      if (!live) return;
      setChoices({
        benchmarks: datasets.filter((d) => d.kind === 'stem2code'),
        modelFiles: modelFiles.filter((f) => f.format === 'gguf'),
        onnxFiles: modelFiles.filter((f) => f.format === 'onnx'),
        loaded: loaded.filter((m) => m.state === 'ready'),
        endpoints,
      });
    });
    return () => {
      live = false;
    };
  }, [client]);
  const datasetId = benchmarkId || String(choices.benchmarks[0]?.id ?? '');
  useEffect(() => {
    if (datasetId === '') return;
    let live = true;
    client.call('items.facets', { datasetId: Number(datasetId) }).then(
      (facets) => {
        if (!live) return;
        setCategories(facets.categories.map((c) => c.value).filter((v) => v !== '(none)'));
      },
      () => live && setCategories([]),
    );
    return () => {
      live = false;
    };
  }, [client, datasetId]);
  return { ...choices, categories };
}

export function ModelChoice({
  value,
  onChange,
  choices,
  testId,
}: {
  value: string;
  onChange: (model: string) => void;
  choices: Choices;
  testId: string;
}) {
  const names = useMemo(() => {
    const seen = new Set<string>();
    const out: { value: string; label: string }[] = [];
    for (const m of choices.loaded) {
      if (seen.has(m.name)) continue;
      seen.add(m.name);
      out.push({ value: m.name, label: `${m.name} (loaded${m.vision ? ', vision' : ''})` });
    }
    for (const f of choices.modelFiles) {
      if (seen.has(f.name)) continue;
      seen.add(f.name);
      out.push({ value: f.name, label: f.registered ? f.name : (f.path.split(/[\\/]/).pop() ?? f.path) });
    }
    return out;
  }, [choices.loaded, choices.modelFiles]);
  return (
    <select className="input" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="">Choose a model…</option>
      {names.map((n) => (
        <option key={n.value} value={n.value}>
          {n.label}
        </option>
      ))}
    </select>
  );
}

/** An endpoint to call; says so when none is configured. */
export function EndpointChoice({
  value,
  onChange,
  endpoints,
  label,
  testId,
}: {
  value: string;
  onChange: (endpoint: string) => void;
  endpoints: EndpointView[];
  label?: string;
  testId: string;
}) {
  return (
    <select
      className="input"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      aria-label={label}
      data-testid={testId}
    >
      <option value="">{endpoints.length === 0 ? 'No endpoint configured' : 'Choose an endpoint…'}</option>
      {endpoints.map((ep) => (
        <option key={ep.name} value={ep.name}>
          {ep.name}
        </option>
      ))}
    </select>
  );
}

function JudgeField({
  label,
  value,
  onChange,
  choices,
  problem,
  testId,
}: {
  label: string;
  value: JudgeValues;
  onChange: (v: JudgeValues) => void;
  choices: Choices;
  problem: string | undefined;
  testId: string;
}) {
  return (
    <div className="field">
      <span className="field__label">{label}</span>
      <div className="eval-form__inline">
        <select
          className="input input--select-narrow"
          value={value.kind}
          onChange={(e) => onChange({ ...value, kind: e.target.value as JudgeValues['kind'] })}
          data-testid={`${testId}-kind`}
        >
          <option value="none">No judge</option>
          <option value="local">Local model</option>
          <option value="endpoint">Endpoint</option>
        </select>
        {value.kind === 'local' && (
          <ModelChoice
            value={value.model}
            onChange={(model) => onChange({ ...value, model })}
            choices={choices}
            testId={`${testId}-model`}
          />
        )}
        {value.kind === 'endpoint' && (
          <select
            className="input"
            value={value.endpoint}
            onChange={(e) => onChange({ ...value, endpoint: e.target.value })}
            data-testid={`${testId}-endpoint`}
          >
            <option value="">Choose an endpoint…</option>
            {choices.endpoints.map((ep) => (
              <option key={ep.name} value={ep.name}>
                {ep.name}
              </option>
            ))}
          </select>
        )}
      </div>
      <FieldProblem text={problem} />
    </div>
  );
}

const PERCEPTUAL_FAMILIES: { value: PerceptualFamily; label: string }[] = [
  { value: 'clip', label: 'CLIP' },
  { value: 'siglip', label: 'SigLIP' },
  { value: 'dinov2', label: 'DINOv2' },
];

/** settings.perceptual: an ONNX image encoder (from the models folders or any path), its family and output. */
function PerceptualField({
  value,
  onChange,
  onnxFiles,
  problems,
}: {
  value: PerceptualValues;
  onChange: (v: PerceptualValues) => void;
  onnxFiles: ModelFile[];
  problems: RunFormProblems;
}) {
  const known = onnxFiles.some((f) => f.path === value.modelPath);
  return (
    <fieldset className="field eval-form__perceptual" data-testid="eval-perceptual">
      <legend className="field__label">Perceptual similarity (optional)</legend>
      <p className="muted eval-form__hint">
        Cosine similarity of the two canonical renders’ embeddings from your own ONNX vision tower. Leave the
        path empty to skip it.
      </p>
      <div className="eval-form__inline">
        {onnxFiles.length > 0 && (
          <select
            className="input"
            value={known ? value.modelPath : ''}
            onChange={(e) => onChange({ ...value, modelPath: e.target.value })}
            aria-label="ONNX file from the models folders"
            data-testid="eval-perceptual-file"
          >
            <option value="">{known ? 'None' : 'ONNX files in the models folders…'}</option>
            {onnxFiles.map((f) => (
              <option key={f.path} value={f.path}>
                {f.path.split(/[\\/]/).pop() ?? f.path}
              </option>
            ))}
          </select>
        )}
        <input
          className="input input--wide"
          value={value.modelPath}
          placeholder="/path/to/image-encoder.onnx"
          onChange={(e) => onChange({ ...value, modelPath: e.target.value })}
          aria-label="Perceptual model path"
          aria-invalid={problems.perceptualPath ? true : undefined}
          data-testid="eval-perceptual-path"
        />
      </div>
      <FieldProblem text={problems.perceptualPath} testId="eval-problem-perceptualPath" />
      <div className="eval-form__inline">
        <label className="field">
          <span className="field__label">Family</span>
          <select
            className="input input--select-narrow"
            value={value.family}
            onChange={(e) => onChange({ ...value, family: e.target.value as PerceptualValues['family'] })}
            aria-invalid={problems.perceptualFamily ? true : undefined}
            data-testid="eval-perceptual-family"
          >
            <option value="">Choose…</option>
            {PERCEPTUAL_FAMILIES.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field" title="The output that holds the embedding; empty: the model's first output">
          <span className="field__label">Output name</span>
          <input
            className="input"
            value={value.outputName}
            placeholder="first output"
            onChange={(e) => onChange({ ...value, outputName: e.target.value })}
            data-testid="eval-perceptual-output"
          />
        </label>
      </div>
      <FieldProblem text={problems.perceptualFamily} testId="eval-problem-perceptualFamily" />
    </fieldset>
  );
}

/** Set up a run: benchmark, subject, judges and settings; the engine's own error shown when it refuses. */
export function RunSetupForm({ onStarted }: { onStarted: (runId: string) => void }) {
  const { client } = useEngine();
  const [values, setValues] = useState<RunFormValues>(defaultRunFormValues);
  const choices = useChoices(values.benchmarkId);
  // The first benchmark is chosen until the person picks one.
  const form =
    values.benchmarkId === '' && choices.benchmarks[0]
      ? { ...values, benchmarkId: String(choices.benchmarks[0].id) }
      : values;
  const set = (change: Partial<RunFormValues>) => setValues((v) => ({ ...v, ...change }));

  const benchmark = choices.benchmarks.find((b) => String(b.id) === form.benchmarkId) ?? null;
  const reading = readRunForm(form, benchmark?.name ?? null);
  const { touched, starting, error, start } = useStartForm(reading.config, async (config) => {
    const { runId } = await client.call('eval.start', config);
    onStarted(runId);
  });
  const problems = touched ? reading.problems : {};

  return (
    <form
      className="card eval-form"
      data-testid="eval-setup"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <header className="card__header">
        <h2 className="card__title">New evaluation run</h2>
        <p className="card__subtitle">
          The STEM2Code-Eval protocol: generate (or read predictions) → extract code → official and canonical
          renders → deterministic metrics → judges.
        </p>
      </header>
      <div className="eval-form__grid">
        <label className="field">
          <span className="field__label">Benchmark</span>
          <select
            className="input"
            value={form.benchmarkId}
            onChange={(e) => set({ benchmarkId: e.target.value, categories: [] })}
            data-testid="eval-benchmark"
          >
            {choices.benchmarks.length === 0 && <option value="">No STEM2Code dataset imported</option>}
            {choices.benchmarks.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name} ({b.itemCount} items)
              </option>
            ))}
          </select>
          <FieldProblem text={problems.benchmark} />
        </label>
        <label className="field">
          <span className="field__label">Run name</span>
          <input
            className="input input--wide"
            value={values.name}
            placeholder={reading.config?.name ?? 'named after the subject and benchmark'}
            onChange={(e) => set({ name: e.target.value })}
            data-testid="eval-name"
          />
        </label>
        <div className="field eval-form__wide">
          <span className="field__label">Model under test</span>
          <div className="eval-form__inline" role="radiogroup" aria-label="Model under test">
            {(
              [
                ['predictions', 'Predictions file'],
                ['local', 'Local model'],
                ['endpoint', 'Endpoint'],
              ] as const
            ).map(([kind, label]) => (
              <label key={kind} className="eval-form__radio">
                <input
                  type="radio"
                  name="subject-kind"
                  checked={values.subjectKind === kind}
                  onChange={() => set({ subjectKind: kind })}
                  data-testid={`eval-subject-${kind}`}
                />
                {label}
              </label>
            ))}
          </div>
          <div className="eval-form__inline">
            {values.subjectKind === 'predictions' && (
              <>
                <input
                  className="input input--wide"
                  value={values.predictionsPath}
                  placeholder="/path/to/predictions.jsonl"
                  onChange={(e) => set({ predictionsPath: e.target.value })}
                  data-testid="eval-predictions-path"
                  aria-label="Predictions file path"
                />
                <select
                  className="input input--select-narrow"
                  value={values.predictionsFormat}
                  onChange={(e) => set({ predictionsFormat: e.target.value as 'ours' | 'official' })}
                  data-testid="eval-predictions-format"
                  aria-label="Predictions format"
                  title="ours: {uid, response}; official: the published results JSONL (initial_response)"
                >
                  <option value="ours">Ours ({'{uid, response}'})</option>
                  <option value="official">Official results</option>
                </select>
              </>
            )}
            {values.subjectKind === 'local' && (
              <>
                <ModelChoice
                  value={values.model}
                  onChange={(model) => set({ model })}
                  choices={choices}
                  testId="eval-model"
                />
                <input
                  className="input"
                  value={values.mmproj}
                  placeholder="mmproj (optional)"
                  onChange={(e) => set({ mmproj: e.target.value })}
                  aria-label="Vision projector (mmproj)"
                  data-testid="eval-mmproj"
                />
              </>
            )}
            {values.subjectKind === 'endpoint' && (
              <EndpointChoice
                value={values.endpoint}
                onChange={(endpoint) => set({ endpoint })}
                endpoints={choices.endpoints}
                testId="eval-endpoint"
              />
            )}
          </div>
          <FieldProblem text={problems.subject} testId="eval-problem-subject" />
        </div>
        <JudgeField
          label="Image judge (multimodal)"
          value={values.imageJudge}
          onChange={(imageJudge) => set({ imageJudge })}
          choices={choices}
          problem={problems.imageJudge}
          testId="eval-image-judge"
        />
        <JudgeField
          label="Code judge (text)"
          value={values.codeJudge}
          onChange={(codeJudge) => set({ codeJudge })}
          choices={choices}
          problem={problems.codeJudge}
          testId="eval-code-judge"
        />
      </div>
      <details className="eval-form__settings">
        <summary>Settings</summary>
        <div className="eval-form__grid eval-form__grid--dense">
          <label
            className="field"
            title="The protocol takes the first fenced block; some model families answer in the last"
          >
            <span className="field__label">Code block</span>
            <select
              className="input input--select-narrow"
              value={values.blockChoice}
              onChange={(e) => set({ blockChoice: e.target.value as 'first' | 'last' })}
              data-testid="eval-block"
            >
              <option value="first">First (protocol)</option>
              <option value="last">Last</option>
            </select>
          </label>
          <label
            className="field"
            title="Official: the protocol's system and user messages; no system message: for chat templates that reject one"
          >
            <span className="field__label">Prompt</span>
            <select
              className="input input--select-narrow"
              value={values.promptVariant}
              onChange={(e) => set({ promptVariant: e.target.value as RunFormValues['promptVariant'] })}
              data-testid="eval-prompt-variant"
            >
              <option value="official">Official (protocol)</option>
              <option value="no-system">No system message</option>
            </select>
          </label>
          <NumberField
            label="Max tokens"
            value={values.maxTokens}
            onChange={(maxTokens) => set({ maxTokens })}
            problem={problems.maxTokens}
            testId="eval-max-tokens"
          />
          <NumberField
            label="Temperature"
            value={values.temperature}
            onChange={(temperature) => set({ temperature })}
            problem={problems.temperature}
            testId="eval-temperature"
            inputMode="decimal"
          />
          <NumberField
            label="Seed"
            value={values.seed}
            onChange={(seed) => set({ seed })}
            problem={problems.seed}
            testId="eval-seed"
          />
          <NumberField
            label="Samples per item"
            value={values.samples}
            onChange={(samples) => set({ samples })}
            problem={problems.samples}
            testId="eval-samples"
            title="Answers drawn per item (sample k uses seed + k; use a temperature above 0). Scores average each item's samples."
          />
          <NumberField
            label="Timeout (s)"
            value={values.timeoutS}
            onChange={(timeoutS) => set({ timeoutS })}
            problem={problems.timeoutS}
            testId="eval-timeout"
            title="Per render; the public scripts use 30 s, the paper 120 s"
          />
          <NumberField
            label="Canonical width"
            value={values.width}
            onChange={(width) => set({ width })}
            problem={problems.width}
            testId="eval-width"
          />
          <NumberField
            label="Canonical height"
            value={values.height}
            onChange={(height) => set({ height })}
            problem={problems.height}
            testId="eval-height"
          />
          <NumberField
            label="Canonical dpi"
            value={values.dpi}
            onChange={(dpi) => set({ dpi })}
            problem={problems.dpi}
            testId="eval-dpi"
          />
          <NumberField
            label="Generation concurrency"
            value={values.generationConcurrency}
            onChange={(generationConcurrency) => set({ generationConcurrency })}
            problem={problems.generationConcurrency}
            testId="eval-gen-concurrency"
          />
          <NumberField
            label="Judge concurrency"
            value={values.judgeConcurrency}
            onChange={(judgeConcurrency) => set({ judgeConcurrency })}
            problem={problems.judgeConcurrency}
            testId="eval-judge-concurrency"
          />
          <NumberField
            label="Judge attempts"
            value={values.judgeAttempts}
            onChange={(judgeAttempts) => set({ judgeAttempts })}
            problem={problems.judgeAttempts}
            testId="eval-judge-attempts"
            title="Tries per judgment before it counts as failed (every failure is recorded)"
          />
          <NumberField
            label="Limit (items)"
            value={values.limit}
            placeholder="all"
            onChange={(limit) => set({ limit })}
            problem={problems.limit}
            testId="eval-limit"
          />
          <PerceptualField
            value={values.perceptual}
            onChange={(perceptual) => set({ perceptual })}
            onnxFiles={choices.onnxFiles}
            problems={problems}
          />
          {choices.categories.length > 0 && (
            <fieldset className="field eval-form__categories">
              <legend className="field__label">Categories (none checked: all)</legend>
              {choices.categories.map((c) => (
                <label key={c} className="eval-form__radio">
                  <input
                    type="checkbox"
                    checked={values.categories.includes(c)}
                    onChange={(e) =>
                      set({
                        categories: e.target.checked
                          ? [...values.categories, c]
                          : values.categories.filter((x) => x !== c),
                      })
                    }
                    data-testid="eval-category"
                    data-category={c}
                  />
                  {c}
                </label>
              ))}
            </fieldset>
          )}
        </div>
      </details>
      {error && (
        <RefusalBanner error={error} what="the run" className="eval-form__error" testId="eval-start-error" />
      )}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={starting} data-testid="eval-start">
          <Icon name="play" />
          {starting ? 'Starting…' : 'Start run'}
        </button>
        {touched && !reading.config && (
          <span className="field__problem" role="alert" data-testid="eval-form-invalid">
            Fix the marked fields first.
          </span>
        )}
      </div>
    </form>
  );
}
