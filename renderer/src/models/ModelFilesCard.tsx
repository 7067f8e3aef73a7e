import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { ModelFile } from '../../../main/api/models';
import { useEngine } from '../api/EngineContext';
import { Icon } from '../components/Icon';
import { useToasts } from '../notifications/ToastProvider';
import {
  baseName,
  describeFitMemory,
  describeGpuLayers,
  formatBytes,
  formatContextLength,
  formatParameterCount,
  isLoadable,
  modelKind,
} from './modelFormat';
import type { FitState, ModelFiles } from './useModelFiles';

interface ModelFilesCardProps {
  modelFiles: ModelFiles;
  onChooseToLoad: (file: ModelFile) => void;
}

/** Every model file the workbench knows, with its metadata and a "will it fit" estimate; add, remove, test models. */
export function ModelFilesCard({ modelFiles, onChooseToLoad }: ModelFilesCardProps) {
  const { client } = useEngine();
  const { reportError, confirm } = useToasts();
  const { files, folders, loaded, fits, refresh } = modelFiles;
  const [making, setMaking] = useState(false);
  const id = useId();

  const makeTestModels = async () => {
    setMaking(true);
    try {
      const made = await client.call('models.makeTestModel', {});
      confirm(
        'Test models written',
        `${baseName(made.text)}, ${baseName(made.vision)} + ${baseName(made.mmproj)}`,
      );
      await refresh();
    } catch (error) {
      reportError('Could not write the test models', error);
    } finally {
      setMaking(false);
    }
  };

  const remove = async (name: string) => {
    try {
      await client.call('models.remove', { name });
      await refresh();
    } catch (error) {
      reportError(`Could not remove ${name}`, error);
    }
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="model-files">
      <div className="card__header card__header--row">
        <div>
          <h2 className="card__title" id={`${id}-title`}>
            Model files
          </h2>
          <p className="card__subtitle">
            GGUF and ONNX files in the models folders, and models registered by path. Nothing is loaded to
            read them.
          </p>
        </div>
        <div className="button-group">
          <button
            type="button"
            className="button"
            onClick={makeTestModels}
            disabled={making}
            title="Writes a random-weight text model and a vision model with its projector: every model path, no downloads. Their answers are noise."
            data-testid="make-test-models"
          >
            <Icon name="plus" />
            {making ? 'Writing…' : 'Make test models'}
          </button>
          <button
            type="button"
            className="button button--ghost"
            onClick={() => void refresh()}
            title="List again"
          >
            <Icon name="refresh" />
            Refresh
          </button>
        </div>
      </div>
      {!loaded ? (
        <p className="card__empty">Reading the models folders…</p>
      ) : files.length === 0 ? (
        <p className="card__empty" data-testid="model-files-empty">
          No model files yet. Drop GGUF files into {folders[0] ?? 'the models folder'}, add a file or folder
          below, or press <strong>Make test models</strong> to try everything without downloading weights.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table model-files" data-testid="model-files-table">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Kind</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col" className="num">
                  Params
                </th>
                <th scope="col">Quant</th>
                <th scope="col" className="num">
                  Context
                </th>
                <th scope="col">Will it fit</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {files.map((file) => (
                <ModelFileRow
                  key={`${file.name}\n${file.path}`}
                  file={file}
                  fit={fits.get(file.path)}
                  onLoad={() => onChooseToLoad(file)}
                  onRemove={() => void remove(file.name)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AddModelForm folders={folders} onAdded={refresh} onRemoveFolder={remove} />
    </section>
  );
}

function FitCell({ file, fit }: { file: ModelFile; fit: FitState | undefined }) {
  if (!isLoadable(file)) return <span className="muted">—</span>;
  if (!fit || fit.status === 'pending')
    return (
      <span className="muted" data-testid="model-fit" data-fit="pending">
        Estimating…
      </span>
    );
  if (fit.status === 'error')
    return (
      <span className="text-error" data-testid="model-fit" data-fit="error" title={fit.message}>
        No estimate: {fit.message}
      </span>
    );
  const { fit: estimate } = fit;
  return (
    <div data-testid="model-fit" data-fit={estimate.fits ? 'fits' : 'no'}>
      <div className="fit-line">
        <span className={estimate.fits ? 'badge badge--done' : 'badge badge--failed'}>
          {estimate.fits ? 'Fits' : "Doesn't fit"}
        </span>
        <span className="fit-line__facts">
          {describeGpuLayers(estimate.gpuLayers, estimate.totalLayers)} · {describeFitMemory(estimate)} ·{' '}
          {formatContextLength(estimate.contextSize)} ctx
        </span>
      </div>
      <div className="cell-sub" data-testid="model-fit-note">
        {estimate.note}
      </div>
    </div>
  );
}

interface ModelFileRowProps {
  file: ModelFile;
  fit: FitState | undefined;
  onLoad: () => void;
  onRemove: () => void;
}

function ModelFileRow({ file, fit, onLoad, onRemove }: ModelFileRowProps) {
  const kind = modelKind(file);
  const title = file.registered ? file.name : baseName(file.path);
  return (
    <tr data-testid="model-file" data-name={file.name} data-kind={kind}>
      <td className="model-files__name">
        <div className="cell-title" data-testid="model-file-title">
          {title}
        </div>
        <div className="cell-sub mono" title={file.path}>
          {file.path}
        </div>
        {file.mmprojPath && (
          <div className="cell-sub mono" title={file.mmprojPath}>
            + {baseName(file.mmprojPath)}
          </div>
        )}
        {file.error && (
          <div className="cell-error" data-testid="model-file-error">
            {file.error}
          </div>
        )}
      </td>
      <td>
        <div className="tag-stack">
          <span className={kind === 'vision' ? 'tag tag--accent' : 'tag'} data-testid="model-kind">
            {kind}
          </span>
          <span className="cell-sub" data-testid="model-origin">
            {file.registered ? 'registered' : 'in folder'}
          </span>
        </div>
      </td>
      <td className="num">{formatBytes(file.sizeBytes)}</td>
      <td className="num" data-testid="model-params">
        {formatParameterCount(file.parameterCount)}
      </td>
      <td className="mono">{file.quantization ?? '—'}</td>
      <td className="num">{formatContextLength(file.contextLength)}</td>
      <td className="model-files__fit">
        <FitCell file={file} fit={fit} />
      </td>
      <td className="model-files__actions">
        <div className="button-group">
          {isLoadable(file) && (
            <button
              type="button"
              className="button button--small"
              onClick={onLoad}
              data-testid="model-choose"
            >
              <Icon name="play" />
              Load…
            </button>
          )}
          {file.registered && (
            <button
              type="button"
              className="button button--small button--ghost button--danger"
              onClick={onRemove}
              title="Forget this registration; the file stays on disk"
              data-testid="model-remove"
            >
              Remove
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}

interface AddModelFormProps {
  folders: readonly string[];
  onAdded: () => Promise<void>;
  onRemoveFolder: (folder: string) => Promise<void>;
}

/** Register a model file (with an optional projector and name) or add a folder to scan. */
function AddModelForm({ folders, onAdded, onRemoveFolder }: AddModelFormProps) {
  const { client } = useEngine();
  const { reportError, confirm } = useToasts();
  const [path, setPath] = useState('');
  const [mmproj, setMmproj] = useState('');
  const [name, setName] = useState('');
  const [adding, setAdding] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (path.trim() === '') return;
    setAdding(true);
    try {
      const added = await client.call('models.add', {
        path: path.trim(),
        ...(mmproj.trim() ? { mmproj: mmproj.trim() } : {}),
        ...(name.trim() ? { name: name.trim() } : {}),
      });
      confirm(
        added.folder ? 'Folder added' : 'Model registered',
        added.folder
          ? `${added.folder}: ${added.models.length} model file(s)`
          : (added.models[0]?.name ?? path.trim()),
      );
      setPath('');
      setMmproj('');
      setName('');
      await onAdded();
    } catch (error) {
      reportError(`Could not add ${path.trim()}`, error);
    } finally {
      setAdding(false);
    }
  };

  return (
    <form noValidate className="model-add" onSubmit={submit} data-testid="model-add-form">
      <div className="form-row">
        <label className="field field--path">
          <span className="field__label">Model file or folder (path on the engine's machine)</span>
          <input
            className="input"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/data/models/qwen2.5-vl-7b-q4_k_m.gguf"
            spellCheck={false}
            data-testid="model-add-path"
          />
        </label>
        <label className="field field--path">
          <span className="field__label">Projector (mmproj, optional)</span>
          <input
            className="input"
            value={mmproj}
            onChange={(e) => setMmproj(e.target.value)}
            placeholder="…/mmproj-model-f16.gguf"
            spellCheck={false}
            data-testid="model-add-mmproj"
          />
        </label>
        <label className="field">
          <span className="field__label">Name (optional)</span>
          <input
            className="input"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="qwen-vl-7b"
            data-testid="model-add-name"
          />
        </label>
        <button
          type="submit"
          className="button button--primary"
          disabled={adding || path.trim() === ''}
          data-testid="model-add-submit"
        >
          <Icon name="plus" />
          {adding ? 'Adding…' : 'Add'}
        </button>
      </div>
      {folders.length > 0 && (
        <ul className="model-folders" aria-label="Models folders" data-testid="model-folders">
          {folders.map((folder, index) => (
            <li key={folder} className="model-folders__item">
              <span className="mono" title={folder}>
                {folder}
              </span>
              {index === 0 ? (
                <span className="cell-sub">default</span>
              ) : (
                <button
                  type="button"
                  className="button button--small button--ghost button--danger"
                  onClick={() => void onRemoveFolder(folder)}
                  title="Stop scanning this folder; its files stay on disk"
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
