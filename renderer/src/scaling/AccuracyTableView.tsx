import { useMemo, useState } from 'react';
import type { CellKey, StudyDetail } from '../../../main/api/scaling';
import { accuracyTable } from './accuracyTable';
import type { Breakdown } from './accuracyTable';
import { sameCell } from './cellItemsQuery';

/** Accuracy per cell (overall with CI, macro, a breakdown by benchmark or category, failures); a row opens its items. */
export function AccuracyTableView({
  study,
  selected,
  onSelect,
}: {
  study: StudyDetail;
  selected: CellKey | null;
  onSelect: (cell: CellKey) => void;
}) {
  const [breakdown, setBreakdown] = useState<Breakdown>('benchmark');
  const table = useMemo(() => accuracyTable(study, breakdown), [study, breakdown]);
  // Answers still to come matter only while the study runs; a finished table keeps its width for the numbers.
  const pendingColumn = table.rows.some((r) => r.pending > 0);
  return (
    <section className="card" aria-label="Accuracy per cell" data-testid="scaling-accuracy">
      <header className="card__header card__header--row">
        <div>
          <h2 className="card__title">Accuracy per cell</h2>
          <p className="card__subtitle">
            95% bootstrap CI over items. Avg: mean of the per-benchmark accuracies. Failed answers count as
            wrong.
          </p>
        </div>
        <label className="scaling-inline-field">
          <span className="muted">Break down by</span>
          <select
            className="input input--select-narrow"
            value={breakdown}
            onChange={(e) => setBreakdown(e.target.value as Breakdown)}
            data-testid="scaling-breakdown"
          >
            <option value="benchmark">Benchmark</option>
            <option value="category">Category</option>
          </select>
        </label>
      </header>
      <div className="table-wrap">
        <table className="table scaling-accuracy">
          <thead>
            <tr>
              <th scope="col">Captioner</th>
              <th scope="col">Solver</th>
              <th scope="col" className="num">
                Accuracy
              </th>
              <th scope="col" className="num">
                95% CI
              </th>
              <th scope="col" className="num">
                n
              </th>
              <th scope="col" className="num" title="Mean of the per-benchmark accuracies">
                Avg
              </th>
              {table.columns.map((c) => (
                <th key={c} scope="col" className="num">
                  {c}
                </th>
              ))}
              <th scope="col" className="num" title="Answers whose model call failed; they count as wrong">
                Failed
              </th>
              {pendingColumn && (
                <th scope="col" className="num">
                  Pending
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r) => (
              <tr
                key={`${r.cell.captioner}|${r.cell.solver ?? ''}`}
                className="scaling-accuracy__row"
                tabIndex={0}
                aria-selected={sameCell(selected, r.cell)}
                onClick={() => onSelect(r.cell)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    onSelect(r.cell);
                  }
                }}
                data-testid="scaling-accuracy-row"
                data-captioner={r.cell.captioner}
                data-solver={r.cell.solver ?? ''}
              >
                <td>{r.captioner}</td>
                <td className={r.cell.solver === null ? 'muted' : undefined}>{r.solver}</td>
                <td className="num" data-testid="scaling-accuracy-overall">
                  {r.overall}
                </td>
                <td className="num muted">{r.ci}</td>
                <td className="num muted">{r.n}</td>
                <td className="num">{r.macro}</td>
                {r.breakdown.map((v, i) => (
                  <td key={table.columns[i]} className="num">
                    {v}
                  </td>
                ))}
                <td
                  className={r.failed > 0 ? 'num scaling-facts__bad' : 'num muted'}
                  data-testid="scaling-accuracy-failed"
                >
                  {r.failed}
                </td>
                {pendingColumn && <td className="num muted">{r.pending}</td>}
              </tr>
            ))}
            {table.rows.length === 0 && (
              <tr>
                <td colSpan={8 + table.columns.length} className="card__empty">
                  No cell has an answer yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
