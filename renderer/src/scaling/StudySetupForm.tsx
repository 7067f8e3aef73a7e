import { useEffect, useMemo, useState } from 'react';
import type { Dataset } from '../../../main/api/datasets';
import type { EndpointView } from '../../../main/api/endpoints';
import type { ModelFile } from '../../../main/api/models';
import { useEngine } from '../api/EngineContext';
import { useStartForm } from '../api/useStartForm';
import { FieldProblem, NumberField, RefusalBanner } from '../components/FormFields';
import { Icon } from '../components/Icon';
import { ModelPicker } from './ModelPicker';
import { captionerOptions, solverOptions } from './modelOptions';
import { defaultStudyFormValues, readStudyForm } from './studyForm';
import type { StudyFormValues } from './studyForm';

interface StudyChoices {
  benchmarks: Dataset[];
  files: ModelFile[];
  endpoints: EndpointView[];
  loaded: boolean;
}

/** VQA datasets, model files (with their GGUF parameter counts) and configured endpoints. */
function useStudyChoices(): StudyChoices {
  const { client } = useEngine();
  const [choices, setChoices] = useState<StudyChoices>({
    benchmarks: [],
    files: [],
    endpoints: [],
    loaded: false,
  });
  useEffect(() => {
    let live = true;
    const settle = <T,>(p: Promise<T>, empty: T) => p.catch(() => empty);
    void Promise.all([
      settle(client.call('datasets.list', {}), []),
      settle(client.call('models.list', {}), []),
      settle(client.call('endpoints.list', {}), []),
    ]).then(([datasets, files, endpoints]) => {
      if (live)
        setChoices({ benchmarks: datasets.filter((d) => d.kind === 'vqa'), files, endpoints, loaded: true });
    });
    return () => {
      live = false;
    };
  }, [client]);
  return choices;
}

/** Set up a study: benchmark, captioners, solvers, variant and settings; the engine's refusal shown as is. */
export function StudySetupForm({ onStarted }: { onStarted: (studyId: string) => void }) {
  const { client } = useEngine();
  const choices = useStudyChoices();
  const [values, setValues] = useState<StudyFormValues>(defaultStudyFormValues);
  const set = (change: Partial<StudyFormValues>) => setValues((v) => ({ ...v, ...change }));
  const options = useMemo(
    () => ({
      captioners: captionerOptions(choices.files, choices.endpoints),
      solvers: solverOptions(choices.files, choices.endpoints),
    }),
    [choices.files, choices.endpoints],
  );
  // The first VQA dataset is chosen until the person picks one.
  const form =
    values.datasetId === '' && choices.benchmarks[0]
      ? { ...values, datasetId: String(choices.benchmarks[0].id) }
      : values;
  const benchmark = choices.benchmarks.find((b) => String(b.id) === form.datasetId) ?? null;
  const reading = readStudyForm(form, options, benchmark?.name ?? null);
  const { touched, starting, error, start } = useStartForm(reading.config, async (config) => {
    const { studyId } = await client.call('scaling.start', config);
    onStarted(studyId);
  });
  const problems = touched ? reading.problems : {};
  const pairs = form.captioners.length * form.solvers.length + (form.direct ? form.captioners.length : 0);

  return (
    <form
      className="card scaling-form"
      data-testid="scaling-setup"
      aria-label="New scaling study"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <header className="card__header">
        <h2 className="card__title">New scaling study</h2>
        <p className="card__subtitle">
          Each captioner (perception) describes every image once; each solver (reasoning) answers from the
          question and that description alone. Every captioner × solver pair is one cell of the grid.
        </p>
      </header>
      <div className="scaling-form__grid">
        <label className="field">
          <span className="field__label">Benchmark</span>
          <select
            className="input"
            value={form.datasetId}
            onChange={(e) => set({ datasetId: e.target.value })}
            aria-invalid={problems.dataset ? true : undefined}
            data-testid="scaling-benchmark"
          >
            {choices.benchmarks.length === 0 && (
              <option value="">{choices.loaded ? 'No VQA dataset imported' : 'Loading…'}</option>
            )}
            {choices.benchmarks.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name} ({b.itemCount} items)
              </option>
            ))}
          </select>
          <FieldProblem text={problems.dataset} testId="scaling-problem-dataset" />
        </label>
        <label className="field">
          <span className="field__label">Study name</span>
          <input
            className="input input--wide"
            value={values.name}
            placeholder={reading.config?.name ?? 'named after the grid and benchmark'}
            onChange={(e) => set({ name: e.target.value })}
            data-testid="scaling-name"
          />
        </label>
        <ModelPicker
          role="captioners"
          legend="Captioners (perception)"
          hint="Vision models: GGUF files with a projector (mmproj), and endpoints."
          options={options.captioners}
          picked={form.captioners}
          onChange={(captioners) => set({ captioners })}
          problems={problems}
          empty="No vision model: add a GGUF with its mmproj on the Models page, or configure an endpoint."
        />
        <ModelPicker
          role="solvers"
          legend="Solvers (reasoning)"
          hint="Text models: they see the question and the caption, never the image."
          options={options.solvers}
          picked={form.solvers}
          onChange={(solvers) => set({ solvers })}
          problems={problems}
          empty="No text model: add a GGUF on the Models page, or configure an endpoint."
        />
        <fieldset className="field scaling-fieldset">
          <legend className="field__label">The captioner writes</legend>
          <div className="scaling-form__inline" role="radiogroup" aria-label="The captioner writes">
            {(
              [
                ['caption', 'A detailed description'],
                ['code', 'Code that redraws the figure'],
              ] as const
            ).map(([variant, label]) => (
              <label key={variant} className="scaling-form__choice">
                <input
                  type="radio"
                  name="scaling-variant"
                  checked={form.variant === variant}
                  onChange={() => set({ variant })}
                  data-testid={`scaling-variant-${variant}`}
                />
                {label}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="scaling-form__direct">
          <input
            type="checkbox"
            checked={form.direct}
            onChange={(e) => set({ direct: e.target.checked })}
            data-testid="scaling-direct"
          />
          <span>
            Direct baseline
            <span className="muted scaling-form__hint">
              {' '}
              — each captioner also answers from the image itself
            </span>
          </span>
        </label>
        <div className="scaling-form__numbers">
          <NumberField
            label="Max tokens"
            value={form.maxTokens}
            onChange={(maxTokens) => set({ maxTokens })}
            problem={problems.maxTokens}
            testId="scaling-max-tokens"
            problemTestId="scaling-max-tokens-problem"
            title="Token budget of each caption and each answer"
          />
          <NumberField
            label="Limit (items)"
            value={form.limit}
            placeholder="all"
            onChange={(limit) => set({ limit })}
            problem={problems.limit}
            testId="scaling-limit"
            problemTestId="scaling-limit-problem"
          />
          <NumberField
            label="Concurrency"
            value={form.concurrency}
            onChange={(concurrency) => set({ concurrency })}
            problem={problems.concurrency}
            testId="scaling-concurrency"
            problemTestId="scaling-concurrency-problem"
            title="Concurrent calls per model (parallel sequences or endpoint requests)"
          />
        </div>
      </div>
      {error && (
        <RefusalBanner
          error={error}
          what="the study"
          className="scaling-form__error"
          testId="scaling-start-error"
        />
      )}
      <div className="form-actions scaling-form__actions">
        <button
          type="submit"
          className="button button--primary"
          disabled={starting}
          data-testid="scaling-start"
        >
          <Icon name="play" />
          {starting ? 'Starting…' : 'Start study'}
        </button>
        <span className="muted num" data-testid="scaling-grid-size">
          {pairs} cell{pairs === 1 ? '' : 's'}
        </span>
        {touched && !reading.config && (
          <span className="field__problem" role="alert" data-testid="scaling-form-invalid">
            Fix the marked fields first.
          </span>
        )}
      </div>
    </form>
  );
}
