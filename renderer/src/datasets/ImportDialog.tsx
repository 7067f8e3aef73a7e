import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { ImportReport } from '../../../main/api/datasets';
import type { JobSnapshot } from '../../../main/api/jobs';
import { useEngine } from '../api/EngineContext';
import { Icon } from '../components/Icon';
import { ProgressBar } from '../components/ProgressBar';
import { useJobs } from '../jobs/JobsProvider';
import { isActive } from '../jobs/jobModel';
import { useToasts } from '../notifications/ToastProvider';
import { acceptsFieldMap, defaultImportForm, importFormats, readImportForm } from './importForm';
import type { ImportFormValues, ImportRequest } from './importForm';

interface ImportDialogProps {
  onClose: () => void;
  /** The import finished: open the dataset it made (by its name, when it was given). */
  onImported: (name: string | null) => void;
}

const REPORT_ROWS = 200;

/** Path, format, name, images root and field map → `datasets.import`; then the job's progress and its report. */
export function ImportDialog({ onClose, onImported }: ImportDialogProps) {
  const { client } = useEngine();
  const { reportError } = useToasts();
  const { jobs } = useJobs();
  const [values, setValues] = useState<ImportFormValues>(defaultImportForm);
  const [started, setStarted] = useState<{
    jobId: string;
    request: ImportRequest;
    snapshot: JobSnapshot;
  } | null>(null);
  const [starting, setStarting] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const first = useRef<HTMLInputElement>(null);
  const reading = readImportForm(values);
  // The job's live snapshot; the reply to datasets.import until the first progress event arrives.
  const job = started ? (jobs.find((j) => j.id === started.jobId) ?? started.snapshot) : undefined;
  const finished = job !== undefined && !isActive(job.state);

  useEffect(() => first.current?.focus(), []);

  useEffect(() => {
    if (!started || !finished) return;
    let live = true;
    client.call('datasets.errors', { jobId: started.jobId }).then(
      (r) => live && setReport(r),
      (error: unknown) => reportError('Could not read the import report', error),
    );
    return () => {
      live = false;
    };
  }, [client, started, finished, reportError]);

  const set = (patch: Partial<ImportFormValues>) => setValues((v) => ({ ...v, ...patch }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!('request' in reading) || starting) return;
    setStarting(true);
    try {
      const snapshot = await client.call('datasets.import', reading.request);
      setStarted({ jobId: snapshot.id, request: reading.request, snapshot });
    } catch (error) {
      reportError('Could not start the import', error);
    } finally {
      setStarting(false);
    }
  };

  return (
    <div className="detail-backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div
        className="import-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="import-title"
        data-testid="import-dialog"
      >
        <header className="detail__header">
          <h2 className="detail__title" id="import-title">
            Import a dataset
          </h2>
          <button
            type="button"
            className="icon-button"
            onClick={onClose}
            aria-label="Close"
            data-testid="import-close"
          >
            <Icon name="close" />
          </button>
        </header>
        {!started ? (
          <form className="import-form" onSubmit={(e) => void submit(e)}>
            <label className="field">
              <span className="field__label">Path</span>
              <input
                ref={first}
                className="input"
                value={values.path}
                onChange={(e) => set({ path: e.target.value })}
                placeholder="/data/stem/train.jsonl"
                spellCheck={false}
                data-testid="import-path"
              />
              <span className="field__help">
                A file, or a folder for the folder format; on the engine's machine.
              </span>
            </label>
            <div className="form-row">
              <label className="field">
                <span className="field__label">Format</span>
                <select
                  className="input"
                  value={values.format}
                  onChange={(e) => set({ format: e.target.value as ImportFormValues['format'] })}
                  data-testid="import-format"
                >
                  {importFormats.map((f) => (
                    <option key={f.value} value={f.value}>
                      {f.label}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field field--grow">
                <span className="field__label">Name</span>
                <input
                  className="input"
                  value={values.name}
                  onChange={(e) => set({ name: e.target.value })}
                  placeholder="from the file name"
                  data-testid="import-name"
                />
              </label>
            </div>
            <label className="field">
              <span className="field__label">Images root</span>
              <input
                className="input"
                value={values.imagesRoot}
                onChange={(e) => set({ imagesRoot: e.target.value })}
                placeholder="relative image paths resolve against the file's folder"
                spellCheck={false}
                data-testid="import-images-root"
              />
            </label>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={values.allowOutsideRoot}
                onChange={(e) => set({ allowOutsideRoot: e.target.checked })}
                data-testid="import-allow-outside-root"
              />
              Allow image paths outside the file&apos;s folder and the images root
            </label>
            {acceptsFieldMap(values.format) && (
              <label className="field">
                <span className="field__label">Field map</span>
                <textarea
                  className="input import-form__map"
                  value={values.fieldMap}
                  onChange={(e) => set({ fieldMap: e.target.value })}
                  placeholder="image=img_path, code=gt_code, caption=description"
                  rows={2}
                  spellCheck={false}
                  data-testid="import-map"
                />
                <span className="field__help">
                  field=column pairs, for columns whose names differ from ours.
                </span>
              </label>
            )}
            <div className="import-form__actions">
              {'problem' in reading && values.path !== '' && (
                <span className="form-error" data-testid="import-problem">
                  {reading.problem}
                </span>
              )}
              <button type="button" className="button" onClick={onClose}>
                Cancel
              </button>
              <button
                type="submit"
                className="button button--primary"
                disabled={!('request' in reading) || starting}
                data-testid="import-start"
              >
                <Icon name="upload" />
                Start import
              </button>
            </div>
          </form>
        ) : (
          <div className="import-progress" data-testid="import-progress">
            <p className="mono import-progress__path">{started.request.path}</p>
            {job ? (
              <>
                <ProgressBar
                  done={job.done}
                  failed={job.failed}
                  total={job.total}
                  label="Import progress"
                  testId="import-progress-bar"
                />
                <p className="muted">
                  <span data-testid="import-state" data-state={job.state}>
                    {job.state}
                  </span>
                  {job.units
                    ? ` · ${job.units.done.toLocaleString()} of ${job.units.total.toLocaleString()} ${job.units.label}`
                    : job.total > 0 &&
                      ` · step ${(job.done + job.failed).toLocaleString()} of ${job.total.toLocaleString()}`}
                  {job.units?.ratePerSec != null &&
                    ` · ${Math.round(job.units.ratePerSec).toLocaleString()} ${job.units.label}/s`}
                  {job.error && ` · ${job.error}`}
                </p>
              </>
            ) : (
              <p className="muted">Starting…</p>
            )}
            {report && (
              <div className="import-report" data-testid="import-report">
                <p>
                  <strong data-testid="import-imported">{report.imported.toLocaleString()}</strong> imported ·{' '}
                  <strong data-testid="import-skipped">{report.skipped.toLocaleString()}</strong> skipped
                  (already there) ·{' '}
                  <strong data-testid="import-errors">{report.errors.length.toLocaleString()}</strong> errors
                </p>
                {report.errors.length > 0 && (
                  <div className="table-wrap import-report__errors">
                    <table className="table" data-testid="import-error-table">
                      <thead>
                        <tr>
                          <th scope="col">File</th>
                          <th scope="col" className="num">
                            Line
                          </th>
                          <th scope="col">Field</th>
                          <th scope="col">Reason</th>
                        </tr>
                      </thead>
                      <tbody>
                        {report.errors.slice(0, REPORT_ROWS).map((e, i) => (
                          <tr key={i} data-testid="import-error-row">
                            <td className="mono" title={e.file}>
                              {e.file.split('/').at(-1)}
                            </td>
                            <td className="num">{e.line}</td>
                            <td className="mono">{e.field ?? '—'}</td>
                            <td>{e.reason}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                    {report.errors.length > REPORT_ROWS && (
                      <p className="muted">
                        The first {REPORT_ROWS} of {report.errors.length.toLocaleString()}; the CLI prints
                        them all (codepercept import … --json).
                      </p>
                    )}
                  </div>
                )}
              </div>
            )}
            <div className="import-form__actions">
              <button type="button" className="button" onClick={onClose}>
                Close
              </button>
              <button
                type="button"
                className="button button--primary"
                disabled={!finished || job?.state !== 'done'}
                onClick={() => onImported(started.request.name ?? null)}
                data-testid="import-open"
              >
                Open the dataset
              </button>
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
