import { Page } from '../components/Page';
import { DemoJobForm } from '../jobs/DemoJobForm';
import { useJobs } from '../jobs/JobsProvider';
import { JobsTable } from '../jobs/JobsTable';
import { isActive } from '../jobs/jobModel';

export function JobsPage() {
  const { jobs, loaded } = useJobs();
  const active = jobs.filter((j) => isActive(j.state)).length;
  return (
    <Page
      title="Jobs"
      description="Every long operation runs as a job: persisted, cancellable, and resumed after a crash without redoing finished items."
    >
      <DemoJobForm />
      <section className="card" aria-labelledby="jobs-list-title">
        <div className="card__header card__header--row">
          <h2 className="card__title" id="jobs-list-title">
            All jobs
          </h2>
          <span className="muted" data-testid="jobs-summary">
            {jobs.length} total · {active} active
          </span>
        </div>
        {!loaded ? (
          <p className="card__empty">Loading jobs…</p>
        ) : jobs.length === 0 ? (
          <p className="card__empty" data-testid="jobs-empty">
            No jobs yet. Start a demo job above; imports, evaluation runs and scaling studies will appear here
            too.
          </p>
        ) : (
          <JobsTable jobs={jobs} />
        )}
      </section>
    </Page>
  );
}
