import { useRef, useState } from 'react';
import type { ExternalResultSet } from '../../../main/api/scaling';
import { useEngine } from '../api/EngineContext';
import { describeError } from '../api/describeError';
import type { ErrorDescription } from '../api/describeError';
import { Icon } from '../components/Icon';
import { csvProblems, formatCsvProblem, importErrorHeadline, setNameFromFile } from './externalImport';
import type { CsvProblem } from './externalImport';

interface ExternalSetsPanelProps {
  sets: readonly ExternalResultSet[];
  /** Ids of the sets drawn on the charts. */
  shown: ReadonlySet<string>;
  onShownChange: (shown: Set<string>) => void;
  /** After an import or removal: re-read the list. */
  onChanged: (imported?: ExternalResultSet) => void;
  error: ErrorDescription | null;
}

interface PendingImport {
  fileName: string;
  csv: string;
  name: string;
  source: string;
}

/** Which external result sets (published numbers) overlay the charts; import a CSV, remove a set. */
export function ExternalSetsPanel({ sets, shown, onShownChange, onChanged, error }: ExternalSetsPanelProps) {
  const { client } = useEngine();
  const fileInput = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState<PendingImport | null>(null);
  const [importError, setImportError] = useState<{ error: ErrorDescription; problems: CsvProblem[] } | null>(
    null,
  );
  const [busy, setBusy] = useState(false);

  const chooseFile = async (file: File | undefined) => {
    if (!file) return;
    setImportError(null);
    try {
      setPending({
        fileName: file.name,
        csv: await file.text(),
        name: setNameFromFile(file.name),
        source: '',
      });
    } catch (e) {
      setImportError({ error: describeError(e), problems: [] });
    }
  };

  const runImport = async () => {
    if (!pending) return;
    setBusy(true);
    setImportError(null);
    try {
      const set = await client.call('scaling.external.import', {
        name: pending.name.trim() || setNameFromFile(pending.fileName),
        source: pending.source.trim(),
        csv: pending.csv,
      });
      setPending(null);
      onChanged(set);
    } catch (e) {
      const details = (e as { details?: unknown } | null)?.details;
      setImportError({ error: describeError(e), problems: csvProblems(details) });
    } finally {
      setBusy(false);
    }
  };

  const remove = async (set: ExternalResultSet) => {
    setBusy(true);
    try {
      await client.call('scaling.external.remove', { id: set.id });
      onChanged();
    } catch (e) {
      setImportError({ error: describeError(e), problems: [] });
    } finally {
      setBusy(false);
    }
  };

  const toggle = (id: string, on: boolean) => {
    const next = new Set(shown);
    if (on) next.add(id);
    else next.delete(id);
    onShownChange(next);
  };

  return (
    <section className="scaling-external" aria-label="External results" data-testid="scaling-external">
      <div className="scaling-external__header">
        <h3 className="scaling-subtitle">Published and external results</h3>
        <input
          ref={fileInput}
          type="file"
          accept=".csv,text/csv"
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(e) => {
            void chooseFile(e.target.files?.[0]);
            e.target.value = '';
          }}
          data-testid="scaling-external-file"
        />
        <button
          type="button"
          className="button button--small"
          onClick={() => fileInput.current?.click()}
          disabled={busy}
          data-testid="scaling-external-import"
          title="CSV columns: label, benchmark, captioner, captioner_params, solver, solver_params, accuracy, n, low, high"
        >
          <Icon name="upload" />
          Import CSV…
        </button>
      </div>
      {error && (
        <p className="banner banner--warn" role="alert" data-testid="scaling-external-error">
          <Icon name="warn" />
          <span>{error.message}</span>
        </p>
      )}
      {sets.length === 0 && !error && (
        <p className="muted scaling-external__empty">
          No external results stored. Import a CSV of published numbers.
        </p>
      )}
      <ul className="scaling-external__list">
        {sets.map((set) => (
          <li
            key={set.id}
            className="scaling-external__set"
            data-testid="scaling-external-set"
            data-name={set.name}
          >
            <label className="scaling-form__choice">
              <input
                type="checkbox"
                checked={shown.has(set.id)}
                onChange={(e) => toggle(set.id, e.target.checked)}
                data-testid="scaling-external-show"
              />
              <span>
                <span className="scaling-external__name">{set.name}</span>{' '}
                <span className="muted num">({set.results.length} results)</span>
                {set.source && <span className="muted scaling-external__source">{set.source}</span>}
              </span>
            </label>
            <button
              type="button"
              className="icon-button"
              onClick={() => void remove(set)}
              disabled={busy}
              aria-label={`Remove ${set.name}`}
              title="Remove this set"
              data-testid="scaling-external-remove"
            >
              <Icon name="close" />
            </button>
          </li>
        ))}
      </ul>
      {pending && (
        <form
          className="scaling-external__form"
          aria-label="Import external results"
          data-testid="scaling-external-form"
          onSubmit={(e) => {
            e.preventDefault();
            void runImport();
          }}
        >
          <p className="muted scaling-form__hint">
            {pending.fileName}: {pending.csv.split(/\r?\n/).filter((l) => l.trim() !== '').length - 1} data
            lines
          </p>
          <label className="field">
            <span className="field__label">Name</span>
            <input
              className="input"
              value={pending.name}
              onChange={(e) => setPending({ ...pending, name: e.target.value })}
              data-testid="scaling-external-name"
            />
          </label>
          <label className="field">
            <span className="field__label">Source (paper, table, figure)</span>
            <input
              className="input input--wide"
              value={pending.source}
              onChange={(e) => setPending({ ...pending, source: e.target.value })}
              data-testid="scaling-external-source"
            />
          </label>
          <div className="button-group">
            <button
              type="submit"
              className="button button--small button--primary"
              disabled={busy}
              data-testid="scaling-external-confirm"
            >
              Import
            </button>
            <button type="button" className="button button--small" onClick={() => setPending(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {importError && (
        <div className="banner banner--error" role="alert" data-testid="scaling-external-import-error">
          <Icon name="error" />
          <div>
            <strong>The CSV was not imported.</strong>{' '}
            {importErrorHeadline(importError.error.message, importError.problems)}
            {importError.error.hint && <> {importError.error.hint}</>}
            {importError.problems.length > 0 && (
              <ul className="scaling-external__problems">
                {importError.problems.map((p, i) => (
                  <li key={i}>{formatCsvProblem(p)}</li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
