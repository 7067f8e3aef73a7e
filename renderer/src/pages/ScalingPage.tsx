import { useCallback, useMemo, useState } from 'react';
import { Icon } from '../components/Icon';
import { JobStateBadge } from '../components/JobStateBadge';
import { Page } from '../components/Page';
import { PublishedResults } from '../scaling/PublishedResults';
import { SizeScoreSection } from '../scaling/SizeScoreSection';
import { StudySetupForm } from '../scaling/StudySetupForm';
import { StudyView } from '../scaling/StudyView';
import { shownSets } from '../scaling/externalSetsControl';
import type { ExternalSetsControl } from '../scaling/externalSetsControl';
import { statusAsJobState } from '../scaling/studyStatus';
import { useExternalSets, useStudies, useStudyDetail } from '../scaling/useScaling';
import '../styles/scaling.css';

type View = { kind: 'overview' } | { kind: 'new' } | { kind: 'study'; id: string };

/** External sets and which are hidden, kept for the whole page so a study and the overview agree. */
function useExternalControl(): ExternalSetsControl {
  const { sets, error, refresh } = useExternalSets();
  const [hidden, setHidden] = useState<Set<string>>(() => new Set());
  const shown = useMemo(() => shownSets(sets, hidden), [sets, hidden]);
  const setShown = useCallback(
    (next: Set<string>) => setHidden(new Set(sets.filter((s) => !next.has(s.id)).map((s) => s.id))),
    [sets],
  );
  const changed = useCallback(() => refresh(), [refresh]);
  return { sets, shown, setShown, changed, error };
}

export function ScalingPage() {
  const { studies, loaded, refresh, error } = useStudies();
  const external = useExternalControl();
  const [view, setView] = useState<View | null>(null);
  // A new user lands on the published numbers; once there are studies, on the newest one.
  const current: View = view ?? (studies[0] ? { kind: 'study', id: studies[0].id } : { kind: 'overview' });
  const studyId = current.kind === 'study' ? current.id : null;
  const { detail, job, error: detailError, replace } = useStudyDetail(studyId);

  return (
    <Page
      title="Scaling"
      description="Perception vs. reasoning: a captioner describes each figure, a text-only solver answers from the description; sweep both sizes and see which one moves accuracy."
      actions={
        <button
          type="button"
          className="button button--primary"
          onClick={() => setView({ kind: 'new' })}
          data-testid="scaling-new-study"
        >
          <Icon name="plus" />
          New study
        </button>
      }
    >
      <div className="scaling-layout">
        <nav className="scaling-nav card" aria-label="Studies">
          <ul className="record-list">
            <li>
              <button
                type="button"
                className="record-list__item"
                aria-pressed={current.kind === 'overview'}
                onClick={() => setView({ kind: 'overview' })}
                data-testid="scaling-overview"
              >
                <span className="record-list__name">Published results</span>
                <span className="record-list__meta muted">and STEM2Code vs size</span>
              </button>
            </li>
          </ul>
          <header className="card__header scaling-nav__header">
            <h2 className="card__title">Studies</h2>
          </header>
          {error && (
            <p className="scaling-nav__error" role="status" data-testid="scaling-studies-error">
              {error.message}
            </p>
          )}
          {loaded && !error && studies.length === 0 && <p className="card__empty">No studies yet.</p>}
          <ul className="record-list">
            {studies.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  className="record-list__item"
                  aria-pressed={studyId === s.id}
                  onClick={() => setView({ kind: 'study', id: s.id })}
                  data-testid="scaling-study-row"
                  data-name={s.name}
                  data-status={s.status}
                >
                  <span className="record-list__name">{s.name}</span>
                  <span className="record-list__meta">
                    <JobStateBadge state={statusAsJobState(s.status)} />
                    <span className="num muted">
                      {s.done}/{s.total}
                    </span>
                  </span>
                  <span className="record-list__meta muted">{s.datasetName}</span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="scaling-main">
          {current.kind === 'overview' && (
            <>
              <PublishedResults external={external} />
              <SizeScoreSection />
            </>
          )}
          {current.kind === 'new' && (
            <StudySetupForm
              onStarted={(id) => {
                refresh();
                setView({ kind: 'study', id });
              }}
            />
          )}
          {current.kind === 'study' &&
            (detail ? (
              <StudyView
                key={detail.id}
                study={detail}
                job={job}
                external={external}
                onStudyChanged={replace}
              />
            ) : detailError ? (
              <p className="banner banner--error" role="alert">
                <Icon name="error" />
                <span>{detailError.message}</span>
              </p>
            ) : (
              <p className="muted">Loading the study…</p>
            ))}
        </div>
      </div>
    </Page>
  );
}
