import type { JobState } from '../../../main/api/jobs';

export function JobStateBadge({ state, testId }: { state: JobState; testId?: string }) {
  return (
    <span className={`badge badge--${state}`} data-testid={testId} data-state={state}>
      {state}
    </span>
  );
}
