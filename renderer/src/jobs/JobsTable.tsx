import type { JobSnapshot } from '../../../main/api/jobs';
import { JobStateBadge } from '../components/JobStateBadge';
import { ProgressBar } from '../components/ProgressBar';
import { formatDuration } from '../format/duration';
import { formatPercent } from '../format/percent';
import { formatRate } from '../format/rate';
import { formatTimestamp } from '../format/timestamp';
import { JobControls } from './JobControls';
import { processedItems } from './jobModel';

export function JobsTable({ jobs }: { jobs: readonly JobSnapshot[] }) {
  return (
    <div className="table-wrap">
      <table className="table jobs-table" data-testid="jobs-table">
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">State</th>
            <th scope="col" className="jobs-table__progress">
              Progress
            </th>
            <th scope="col" className="num">
              Failed
            </th>
            <th scope="col" className="num">
              Rate
            </th>
            <th scope="col" className="num">
              ETA
            </th>
            <th scope="col">Started</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <JobRow key={job.id} job={job} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function timingTitle(job: JobSnapshot): string {
  const lines = [`Created ${new Date(job.createdAt).toLocaleString()}`];
  if (job.startedAt) lines.push(`Started ${new Date(job.startedAt).toLocaleString()}`);
  if (job.finishedAt) lines.push(`Finished ${new Date(job.finishedAt).toLocaleString()}`);
  if (job.startedAt && job.finishedAt)
    lines.push(`Took ${formatDuration((job.finishedAt - job.startedAt) / 1000)}`);
  return lines.join('\n');
}

function JobRow({ job }: { job: JobSnapshot }) {
  const processed = processedItems(job);
  return (
    <tr data-testid="job-row" data-job-id={job.id} data-state={job.state}>
      <td className="jobs-table__title">
        <div className="cell-title">{job.title}</div>
        <div className="cell-sub mono" title={`Job ${job.id}`}>
          <span data-testid="job-type">{job.type}</span> · {job.id.slice(0, 8)}
        </div>
        {job.error && (
          <div className="cell-error" data-testid="job-error">
            {job.error}
          </div>
        )}
      </td>
      <td>
        <JobStateBadge state={job.state} testId="job-state" />
      </td>
      <td className="jobs-table__progress">
        <div className="progress-cell">
          <ProgressBar
            done={job.done}
            failed={job.failed}
            total={job.total}
            label={`Progress of ${job.title}`}
            testId="job-progress"
          />
          <span className="progress-cell__text num" data-testid="job-progress-text">
            {job.units
              ? `${job.units.done.toLocaleString()}/${job.units.total.toLocaleString()} ${job.units.label}`
              : `${processed}/${job.total}`}{' '}
            · {formatPercent(processed, job.total)}
          </span>
        </div>
      </td>
      <td className={job.failed > 0 ? 'num text-error' : 'num muted'} data-testid="job-failed">
        {job.failed}
      </td>
      <td className="num" data-testid="job-rate">
        {formatRate(job.ratePerSec)}
      </td>
      <td className="num" data-testid="job-eta">
        {job.state === 'running' ? formatDuration(job.etaSec) : '—'}
      </td>
      <td className="num muted" title={timingTitle(job)}>
        {formatTimestamp(job.startedAt)}
      </td>
      <td className="jobs-table__actions">
        <JobControls job={job} />
      </td>
    </tr>
  );
}
