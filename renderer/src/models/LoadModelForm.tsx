import { useId } from 'react';
import type { FormEvent, Ref } from 'react';
import type { GpuBackend, ModelFile } from '../../../main/api/models';
import { Icon } from '../components/Icon';
import { gpuBackends, loadFormLimits, readLoadForm } from './loadForm';
import type { LoadFormValues } from './loadForm';
import { baseName, isLoadable } from './modelFormat';

interface LoadModelFormProps {
  files: readonly ModelFile[];
  values: LoadFormValues;
  onChange: (patch: Partial<LoadFormValues>) => void;
  /** Whether the chosen model's load call is running. */
  loading: boolean;
  onLoad: (params: NonNullable<ReturnType<typeof readLoadForm>['params']>) => void;
  /** The model picker, focused when a file's "Load…" is pressed. */
  modelSelect?: Ref<HTMLSelectElement>;
}

/** Load options (backend, GPU layers, context, threads, parallel sequences) for one model file. */
export function LoadModelForm({ files, values, onChange, loading, onLoad, modelSelect }: LoadModelFormProps) {
  const id = useId();
  const loadable = files.filter(isLoadable);
  const reading = readLoadForm(values);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reading.params && !loading) onLoad(reading.params);
  };

  return (
    <form
      noValidate
      className="card"
      onSubmit={submit}
      aria-labelledby={`${id}-title`}
      data-testid="load-form"
    >
      <div className="card__header">
        <h2 className="card__title" id={`${id}-title`}>
          Load a model
        </h2>
        <p className="card__subtitle">
          Each loaded model runs in its own host process; a crash there leaves the engine and other models
          running.
        </p>
      </div>
      <div className="form-row">
        <label className="field field--grow">
          <span className="field__label">Model</span>
          <select
            ref={modelSelect}
            className="input"
            value={values.model}
            onChange={(e) => onChange({ model: e.target.value })}
            data-testid="load-model"
          >
            <option value="">Choose a model…</option>
            {loadable.map((f) => (
              <option key={f.name} value={f.name}>
                {f.registered ? f.name : baseName(f.path)}
                {f.vision ? ' (vision)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">GPU backend</span>
          <select
            className="input input--select-narrow"
            value={values.gpu}
            onChange={(e) => onChange({ gpu: e.target.value as GpuBackend })}
            data-testid="load-gpu"
          >
            {gpuBackends.map((b) => (
              <option key={b.value} value={b.value}>
                {b.label}
              </option>
            ))}
          </select>
        </label>
        <label
          className="field"
          title='"auto" fits as many layers as VRAM allows; 0 keeps the model on the CPU.'
        >
          <span className="field__label">GPU layers</span>
          <input
            className="input input--number"
            value={values.gpuLayers}
            onChange={(e) => onChange({ gpuLayers: e.target.value })}
            placeholder="auto"
            list={`${id}-layers`}
            data-testid="load-gpu-layers"
          />
          <datalist id={`${id}-layers`}>
            <option value="auto" />
            <option value="0" />
          </datalist>
        </label>
        <label className="field">
          <span className="field__label">Context size</span>
          <input
            className="input input--number"
            type="number"
            min={loadFormLimits.contextSize.min}
            max={loadFormLimits.contextSize.max}
            value={values.contextSize}
            onChange={(e) => onChange({ contextSize: e.target.value })}
            data-testid="load-context"
          />
        </label>
        <label className="field" title="auto (empty): one thread per physical core">
          <span className="field__label">Threads</span>
          <input
            className="input input--number"
            type="number"
            min={loadFormLimits.threads.min}
            max={loadFormLimits.threads.max}
            value={values.threads}
            placeholder="auto"
            onChange={(e) => onChange({ threads: e.target.value })}
            data-testid="load-threads"
          />
        </label>
        <label className="field" title="Parallel sequences (slots) for batch throughput">
          <span className="field__label">Parallel</span>
          <input
            className="input input--number"
            type="number"
            min={loadFormLimits.parallel.min}
            max={loadFormLimits.parallel.max}
            value={values.parallel}
            onChange={(e) => onChange({ parallel: e.target.value })}
            data-testid="load-parallel"
          />
        </label>
        <button
          type="submit"
          className="button button--primary"
          disabled={reading.problem !== null || loading}
          data-testid="load-submit"
        >
          <Icon name="play" />
          {loading ? 'Loading…' : 'Load'}
        </button>
      </div>
      {reading.problem && values.model !== '' && (
        <p className="form-error" role="alert" data-testid="load-problem">
          {reading.problem}
        </p>
      )}
    </form>
  );
}
