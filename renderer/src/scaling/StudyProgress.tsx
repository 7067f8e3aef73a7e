import type { JobSnapshot } from '../../../main/api/jobs';
import type { StudyDetail } from '../../../main/api/scaling';
import { Icon } from '../components/Icon';
import { JobStateBadge } from '../components/JobStateBadge';
import { ProgressBar } from '../components/ProgressBar';
import { JobControls } from '../jobs/JobControls';
import { studyProgressFacts } from './studyStatus';

/** Answers done of total, rate and ETA while it runs, pause/resume/cancel, and the caption cache's share. */
export function StudyProgress({ study, job }: { study: StudyDetail; job: JobSnapshot | null }) {
  const facts = studyProgressFacts(study, job);
  const failedCells = study.cells.reduce((sum, c) => sum + c.failed, 0);
  return (
    <section className="card scaling-progress" aria-label="Progress" data-testid="scaling-progress">
      <header className="card__header card__header--row">
        <div className="scaling-progress__state">
          <JobStateBadge state={facts.state} testId="scaling-state" />
          <span className="num" data-testid="scaling-progress-count">
            {facts.done} of {facts.total} answers
          </span>
          {facts.active && (
            <>
              <span className="muted" data-testid="scaling-rate">
                {facts.rate}
              </span>
              <span className="muted" data-testid="scaling-eta">
                ETA {facts.eta}
              </span>
            </>
          )}
        </div>
        {job && <JobControls job={job} />}
      </header>
      <div className="scaling-progress__body">
        <ProgressBar
          done={facts.done - facts.failed}
          failed={facts.failed}
          total={facts.total}
          label={`Study ${study.name}`}
          testId="scaling-progressbar"
        />
        {job?.error && (
          <p className="banner banner--error" role="alert">
            <Icon name="error" />
            <span>{job.error}</span>
          </p>
        )}
        <dl className="scaling-facts">
          <div>
            <dt>Items</dt>
            <dd className="num">{study.items}</dd>
          </div>
          <div>
            <dt>Cells</dt>
            <dd className="num">{study.cells.length}</dd>
          </div>
          <div title="Captions computed for this study, and those served from the cache of earlier studies">
            <dt>Captions</dt>
            <dd className="num" data-testid="scaling-captions">
              {study.captions.computed} computed, {study.captions.cached} cached
            </dd>
          </div>
          <div title="Answers whose model call failed; they count as wrong">
            <dt>Failed answers</dt>
            <dd className={failedCells > 0 ? 'num scaling-facts__bad' : 'num'}>{failedCells}</dd>
          </div>
        </dl>
      </div>
    </section>
  );
}
