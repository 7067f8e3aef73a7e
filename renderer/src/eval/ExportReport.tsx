import { useState } from 'react';
import type { ReportFormat } from '../../../main/api/eval';
import { useEngine } from '../api/EngineContext';
import { describeError } from '../api/describeError';

const FORMATS: { format: ReportFormat; label: string }[] = [
  { format: 'html', label: 'HTML' },
  { format: 'json', label: 'JSON' },
  { format: 'csv', label: 'CSV' },
];

/** Saves a file through a Blob URL and an `<a download>` (no navigation, nothing the CSP must allow). */
function download(content: string, mimeType: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the bytes to the download; the next task may release them.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** "Export report": the engine builds the file (eval.report, the same code as the CLI's report command). */
export function ExportReport({ runId }: { runId: string }) {
  const { client } = useEngine();
  const [format, setFormat] = useState<ReportFormat>('html');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const exportReport = () => {
    setBusy(true);
    setError(null);
    client.call('eval.report', { id: runId, format }).then(
      (report) => {
        download(report.content, report.mimeType, report.fileName);
        setBusy(false);
      },
      (e: unknown) => {
        setError(describeError(e).message);
        setBusy(false);
      },
    );
  };
  return (
    <div className="eval-export">
      <div className="button-group">
        <select
          className="input input--select-narrow"
          value={format}
          onChange={(e) => setFormat(e.target.value as ReportFormat)}
          aria-label="Report format"
          data-testid="eval-export-format"
        >
          {FORMATS.map((f) => (
            <option key={f.format} value={f.format}>
              {f.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button"
          onClick={exportReport}
          disabled={busy}
          data-testid="eval-export"
        >
          {busy ? 'Exporting…' : 'Export report'}
        </button>
      </div>
      {error && (
        <p className="field__problem" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
