import { useState } from 'react';
import { Icon } from '../components/Icon';
import { JobStateBadge } from '../components/JobStateBadge';
import { Page } from '../components/Page';
import { CompareView } from '../eval/CompareView';
import { JudgeAuditPanel } from '../eval/JudgeAuditPanel';
import { RunSetupForm } from '../eval/RunSetupForm';
import { RunView } from '../eval/RunView';
import { useEvalRuns, useRunDetail } from '../eval/useEvalRun';
import type { JobState } from '../../../main/api/jobs';

type View = { kind: 'new' } | { kind: 'run'; id: string } | { kind: 'compare' } | { kind: 'audit' };

const JOB_STATES = new Set(['queued', 'running', 'paused', 'cancelled', 'done', 'failed']);

export function EvaluatePage() {
  const { runs, refresh, error } = useEvalRuns();
  const [view, setView] = useState<View | null>(null);
  const current: View = view ?? (runs[0] ? { kind: 'run', id: runs[0].id } : { kind: 'new' });
  const runId = current.kind === 'run' ? current.id : null;
  const { detail, job, error: detailError } = useRunDetail(runId);

  return (
    <Page
      title="Evaluate"
      description="STEM2Code-Eval runs: a model writes matplotlib code for a STEM figure, the code runs in the sandbox, and its render is scored against the reference."
      actions={
        <div className="button-group">
          <button
            type="button"
            className="button"
            onClick={() => setView({ kind: 'audit' })}
            aria-pressed={current.kind === 'audit'}
            data-testid="eval-open-audit"
          >
            Judge audit
          </button>
          <button
            type="button"
            className="button"
            onClick={() => setView({ kind: 'compare' })}
            disabled={runs.length < 2}
            data-testid="eval-open-compare"
          >
            Compare runs
          </button>
          <button
            type="button"
            className="button button--primary"
            onClick={() => setView({ kind: 'new' })}
            data-testid="eval-new-run"
          >
            <Icon name="plus" />
            New run
          </button>
        </div>
      }
    >
      <div className="eval-layout">
        <nav className="eval-runs card" aria-label="Runs">
          <header className="card__header">
            <h2 className="card__title">Runs</h2>
          </header>
          {error && <p className="field__problem">{error.message}</p>}
          {runs.length === 0 && <p className="card__empty">No runs yet.</p>}
          <ul className="record-list">
            {runs.map((r) => (
              <li key={r.id}>
                <button
                  type="button"
                  className="record-list__item"
                  aria-pressed={runId === r.id}
                  onClick={() => setView({ kind: 'run', id: r.id })}
                  data-testid="eval-run-row"
                  data-name={r.name}
                >
                  <span className="record-list__name">{r.name}</span>
                  <span className="record-list__meta">
                    {JOB_STATES.has(r.state) ? <JobStateBadge state={r.state as JobState} /> : r.state}
                    <span className="num muted">
                      {r.complete}/{r.total}
                    </span>
                  </span>
                  <span className="eval-runs__subject muted">{r.benchmark.name}</span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="eval-main">
          {current.kind === 'new' && (
            <RunSetupForm
              onStarted={(id) => {
                refresh();
                setView({ kind: 'run', id });
              }}
            />
          )}
          {current.kind === 'compare' && <CompareView runs={runs} initialA={runs[1]?.id ?? null} />}
          {current.kind === 'audit' && <JudgeAuditPanel runs={runs} />}
          {current.kind === 'run' &&
            (detail ? (
              <RunView key={detail.id} detail={detail} job={job} />
            ) : detailError ? (
              <p className="banner banner--error" role="alert">
                <Icon name="error" />
                <span>{detailError.message}</span>
              </p>
            ) : (
              <p className="muted">Loading the run…</p>
            ))}
        </div>
      </div>
    </Page>
  );
}
