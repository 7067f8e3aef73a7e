import { useId } from 'react';
import type { LoadedModel } from '../../../main/api/models';
import { formatPercent } from '../format/percent';
import { Icon } from '../components/Icon';
import { baseName, describeLoadedGpu, formatBytes } from './modelFormat';
import type { LoadedModels } from './useLoadedModels';

const stateBadge: Record<LoadedModel['state'], string> = {
  loading: 'badge badge--running',
  ready: 'badge badge--done',
  failed: 'badge badge--failed',
  unloaded: 'badge badge--cancelled',
};

/** A load progress bar (0..1) that assistive tech and tests read as a percentage. */
function LoadProgress({ model }: { model: LoadedModel }) {
  const percent = Math.round(Math.min(Math.max(model.progress, 0), 1) * 100);
  return (
    <div className="progress-cell">
      <div
        className="progress"
        role="progressbar"
        aria-label={`Loading ${model.name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        data-testid="loaded-progress"
      >
        <div className="progress__done" style={{ width: `${percent}%` }} />
      </div>
      <span className="progress-cell__text num">{formatPercent(percent, 100)}</span>
    </div>
  );
}

function memoryText(model: LoadedModel): string {
  if (!model.memory) return '—';
  const ram = `RAM ${formatBytes(model.memory.rssBytes)}`;
  return model.memory.vramBytes ? `${ram} · VRAM ${formatBytes(model.memory.vramBytes)}` : ram;
}

/** Loaded models: state (with load progress), engine, host pid, memory, GPU; a host that died shows why. */
export function LoadedModelsCard({ loaded }: { loaded: LoadedModels }) {
  const id = useId();
  const { models, loading, cancelLoad, unload } = loaded;
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="loaded-models">
      <div className="card__header card__header--row">
        <h2 className="card__title" id={`${id}-title`}>
          Loaded models
        </h2>
        <span className="muted">{models.filter((m) => m.state === 'ready').length} ready</span>
      </div>
      {models.length === 0 ? (
        <p className="card__empty" data-testid="loaded-empty">
          Nothing loaded. Choose a model below; it loads in its own process and appears here with its memory
          and GPU use.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table loaded-models" data-testid="loaded-table">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col" className="loaded-models__state">
                  State
                </th>
                <th scope="col">Engine</th>
                <th scope="col" className="num">
                  PID
                </th>
                <th scope="col">Memory</th>
                <th scope="col">GPU</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {models.map((model) => (
                <tr
                  key={model.id}
                  data-testid="loaded-model"
                  data-id={model.id}
                  data-name={model.name}
                  data-state={model.state}
                >
                  <td>
                    <div className="cell-title" title={model.name}>
                      {baseName(model.name)}
                      {model.vision && <span className="tag tag--accent tag--inline">vision</span>}
                    </div>
                    <div className="cell-sub mono">id {model.id}</div>
                    {model.error && (
                      <div className="cell-error" data-testid="loaded-error">
                        {model.error}
                      </div>
                    )}
                  </td>
                  <td className="loaded-models__state">
                    {model.state === 'loading' ? (
                      <LoadProgress model={model} />
                    ) : (
                      <span className={stateBadge[model.state]} data-testid="loaded-state">
                        {model.state}
                      </span>
                    )}
                  </td>
                  <td className="mono">{model.engine}</td>
                  <td className="num mono" data-testid="loaded-pid">
                    {model.pid ?? '—'}
                  </td>
                  <td className="num-left" data-testid="loaded-memory">
                    {memoryText(model)}
                  </td>
                  <td className="mono" data-testid="loaded-gpu">
                    {describeLoadedGpu(model.gpu)}
                  </td>
                  <td className="model-files__actions">
                    {model.state === 'loading' ? (
                      loading.has(model.name) && (
                        <button
                          type="button"
                          className="button button--small"
                          onClick={() => cancelLoad(model.name)}
                          data-testid="loaded-cancel"
                        >
                          <Icon name="stop" />
                          Cancel
                        </button>
                      )
                    ) : (
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => void unload(model)}
                        data-testid="loaded-unload"
                      >
                        {model.state === 'failed' ? 'Dismiss' : 'Unload'}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
