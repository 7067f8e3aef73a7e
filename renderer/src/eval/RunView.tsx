import { useState } from 'react';
import type { EvalRunDetail } from '../../../main/api/eval';
import type { FailureClass } from '../../../main/api/eval';
import type { JobSnapshot } from '../../../main/api/jobs';
import { CategorySelect } from '../components/CategorySelect';
import { Icon } from '../components/Icon';
import { Pager } from '../components/Pager';
import { JobStateBadge } from '../components/JobStateBadge';
import { ProgressBar } from '../components/ProgressBar';
import { formatDuration } from '../format/duration';
import { JobControls } from '../jobs/JobControls';
import { isActive } from '../jobs/jobModel';
import { ItemView } from './ItemView';
import {
  FAILURE_LABELS,
  SCORE_COLUMNS,
  formatScore,
  initialResultsQuery,
  pageCount,
  scoreOf,
  toggleSort,
  withFilter,
} from './resultsQuery';
import type { FailureFilter, ResultsQuery } from './resultsQuery';
import { failureCounts, formatRate, summaryRows } from './summaryFormat';
import { useRunItems } from './useEvalRun';
import { ExportReport } from './ExportReport';

const STAGE_ORDER = [
  'generation',
  'extraction',
  'official',
  'canonical',
  'reference',
  'metrics',
  'imageJudgment',
  'codeJudgment',
];

function failureLabel(failure: string): string {
  return FAILURE_LABELS[failure as FailureClass] ?? failure;
}

export function RunProgress({ detail, job }: { detail: EvalRunDetail; job: JobSnapshot | null }) {
  const failures = failureCounts(detail.summary.overall);
  const stages = STAGE_ORDER.filter((s) => detail.stages[s]);
  return (
    <section className="card eval-progress" aria-label="Progress" data-testid="eval-progress">
      <header className="card__header card__header--row">
        <div className="eval-progress__state">
          {job && <JobStateBadge state={job.state} />}
          <span className="num" data-testid="eval-progress-count">
            {detail.complete} of {detail.total} items
          </span>
          {job && isActive(job.state) && (
            <>
              <span className="muted" data-testid="eval-rate">
                {formatRate(job.ratePerSec)}
              </span>
              <span className="muted">ETA {formatDuration(job.etaSec)}</span>
            </>
          )}
        </div>
        {job && <JobControls job={job} />}
      </header>
      <div className="eval-progress__body">
        <ProgressBar
          done={detail.complete - (job?.failed ?? 0)}
          failed={job?.failed ?? 0}
          total={detail.total}
          label={`Run ${detail.name}`}
          testId="eval-progressbar"
        />
        {job?.error && (
          <p className="banner banner--error" role="alert">
            <Icon name="error" />
            <span>{job.error}</span>
          </p>
        )}
        <div className="eval-progress__facts">
          {stages.length > 0 && (
            <dl className="eval-facts" data-testid="eval-stages">
              {stages.map((s) => (
                <div key={s}>
                  <dt>{s}</dt>
                  <dd className="num">
                    {detail.stages[s]!.done}
                    {detail.stages[s]!.cached > 0 && (
                      <span className="muted"> ({detail.stages[s]!.cached} cached)</span>
                    )}
                  </dd>
                </div>
              ))}
            </dl>
          )}
          {failures.length > 0 && (
            <dl className="eval-facts eval-facts--failures" data-testid="eval-failures">
              {failures.map((f) => (
                <div key={f.failure}>
                  <dt>{failureLabel(f.failure)}</dt>
                  <dd className="num">{f.count}</dd>
                </div>
              ))}
            </dl>
          )}
        </div>
      </div>
    </section>
  );
}

export function RunSummary({ detail }: { detail: EvalRunDetail }) {
  const rows = summaryRows(detail.summary.overall);
  const exceptions = Object.entries(detail.summary.overall.exceptions);
  return (
    <section className="card" aria-label="Summary" data-testid="eval-summary">
      <header className="card__header">
        <h2 className="card__title">Summary</h2>
        <p className="card__subtitle">
          Conditional: the published variant (means over executed, scored items). Strict: every failure counts
          0. Judge scores and Exec Rate out of 100, metrics 0–1.
        </p>
      </header>
      <div className="table-wrap">
        <table className="table eval-summary">
          <thead>
            <tr>
              <th>Score</th>
              <th className="num">Conditional</th>
              <th className="num">Strict</th>
              <th className="num">n</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-testid="eval-summary-row" data-key={r.key}>
                <td className="eval-rowlabel">{r.label}</td>
                <td className="num" data-testid="eval-summary-conditional">
                  {r.conditional}
                </td>
                <td className="num">{r.strict}</td>
                <td className="num muted">{r.n ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {exceptions.length > 0 && (
        <p className="eval-summary__exceptions muted">
          Runtime exceptions: {exceptions.map(([type, n]) => `${type} ×${n}`).join(', ')}
        </p>
      )}
    </section>
  );
}

const FAILURE_FILTERS: { value: FailureFilter; label: string }[] = [
  { value: 'all', label: 'All items' },
  { value: 'none', label: 'Executed' },
  { value: 'any', label: 'Any failure' },
  ...Object.entries(FAILURE_LABELS).map(([value, label]) => ({ value: value as FailureFilter, label })),
];

/** Answers per item of a run; runs stored before the setting existed have one. */
const samplesOf = (detail: EvalRunDetail) => detail.config.settings.samples ?? 1;

export function ResultsTable({
  detail,
  version,
  onOpen,
}: {
  detail: EvalRunDetail;
  version: string;
  onOpen: (itemId: number, sample: number) => void;
}) {
  const [query, setQuery] = useState<ResultsQuery>(initialResultsQuery);
  const { items, total, loading, error } = useRunItems(detail.id, query, version);
  const judged = {
    imageScore: detail.config.imageJudge !== null,
    codeScore: detail.config.codeJudge !== null,
  };
  const columns = SCORE_COLUMNS.filter((c) =>
    c.key === 'imageScore' || c.key === 'codeScore'
      ? judged[c.key]
      : c.key !== 'edgeF1' && c.key !== 'perceptual'
        ? true
        : detail.summary.overall.metrics[c.key].conditional.mean !== null,
  );
  const categories = detail.summary.categories.map((c) => c.category).filter((c): c is string => c !== null);
  const sortHeader = (key: ResultsQuery['sort'], label: string, title: string, numeric: boolean) => (
    <th
      key={key}
      className={numeric ? 'num' : undefined}
      aria-sort={query.sort === key ? (query.order === 'asc' ? 'ascending' : 'descending') : 'none'}
    >
      <button
        type="button"
        className="eval-sort"
        title={`${title} — sort`}
        onClick={() => setQuery((q) => toggleSort(q, key))}
        data-testid="eval-sort"
        data-key={key}
      >
        {label}
        {query.sort === key && <span aria-hidden="true">{query.order === 'asc' ? ' ▲' : ' ▼'}</span>}
      </button>
    </th>
  );
  const pages = pageCount(total);
  return (
    <section className="card" aria-label="Results" data-testid="eval-results">
      <header className="card__header card__header--row">
        <h2 className="card__title">
          Items{' '}
          <span className="muted num" data-testid="eval-results-total">
            ({total})
          </span>
        </h2>
        <div className="eval-filters">
          <CategorySelect
            value={query.category}
            categories={categories}
            onChange={(category) => setQuery((q) => withFilter(q, { category }))}
            testId="eval-filter-category"
          />
          <select
            className="input input--select-narrow"
            value={query.failure}
            onChange={(e) => setQuery((q) => withFilter(q, { failure: e.target.value as FailureFilter }))}
            aria-label="Failure"
            data-testid="eval-filter-failure"
          >
            {FAILURE_FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
      </header>
      {error && (
        <p className="banner banner--error" role="alert">
          <Icon name="error" />
          <span>{error.message}</span>
        </p>
      )}
      <div className="table-wrap">
        <table className="table eval-results" data-loading={loading || undefined}>
          <thead>
            <tr>
              {sortHeader('uid', 'Item', 'The item uid', false)}
              <th>Category</th>
              <th>Outcome</th>
              {columns.map((c) => sortHeader(c.key, c.label, c.title, true))}
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr
                key={`${item.itemId}:${item.sample ?? 0}`}
                className="eval-results__row"
                tabIndex={0}
                onClick={() => onOpen(item.itemId, item.sample ?? 0)}
                onKeyDown={(e) => e.key === 'Enter' && onOpen(item.itemId, item.sample ?? 0)}
                data-testid="eval-item-row"
                data-uid={item.uid}
                data-failure={item.failure ?? 'none'}
              >
                <td className="mono">
                  {item.uid}
                  {samplesOf(detail) > 1 && <span className="muted"> · sample {item.sample ?? 0}</span>}
                </td>
                <td>{item.category ?? '—'}</td>
                <td>
                  {item.failure ? (
                    <span className="badge badge--failed" title={item.official?.failureMessage ?? undefined}>
                      {failureLabel(item.failure)}
                    </span>
                  ) : item.official?.executed ? (
                    <span className="badge badge--done">Executed</span>
                  ) : (
                    <span className="muted">pending</span>
                  )}
                </td>
                {columns.map((c) => (
                  <td key={c.key} className="num" data-key={c.key}>
                    {formatScore(c.key, scoreOf(item, c.key))}
                  </td>
                ))}
              </tr>
            ))}
            {!loading && items.length === 0 && (
              <tr>
                <td colSpan={3 + columns.length} className="card__empty">
                  No item matches.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Pager page={query.page} pages={pages} onPage={(page) => setQuery((q) => ({ ...q, page }))} />
    </section>
  );
}

/** A run: its progress while it runs, its summary, the results table, and one item opened. */
export function RunView({ detail, job }: { detail: EvalRunDetail; job: JobSnapshot | null }) {
  const [openItem, setOpenItem] = useState<{ itemId: number; sample: number } | null>(null);
  const version = `${detail.complete}:${job?.state ?? detail.state}`;
  return (
    <div className="eval-run" data-testid="eval-run" data-state={job?.state ?? detail.state}>
      <header className="eval-run__header">
        <div>
          <h2 className="eval-run__title" data-testid="eval-run-name">
            {detail.name}
          </h2>
          <p className="muted">
            {detail.subject} · benchmark {detail.benchmark.name} · created{' '}
            {new Date(detail.createdAt).toLocaleString()}
          </p>
        </div>
        <ExportReport runId={detail.id} />
      </header>
      <RunProgress detail={detail} job={job} />
      {openItem !== null ? (
        <ItemView
          runId={detail.id}
          itemId={openItem.itemId}
          sample={openItem.sample}
          samples={samplesOf(detail)}
          onClose={() => setOpenItem(null)}
        />
      ) : (
        <>
          <RunSummary detail={detail} />
          <ResultsTable
            detail={detail}
            version={version}
            onOpen={(itemId, sample) => setOpenItem({ itemId, sample })}
          />
        </>
      )}
    </div>
  );
}
