import { useState } from 'react';
import type { JobSnapshot } from '../../../main/api/jobs';
import { Icon } from '../components/Icon';
import type { IconName } from '../components/Icon';
import { availableActions } from './jobModel';
import type { JobAction } from './jobModel';
import { useJobs } from './JobsProvider';

const presentation: Record<JobAction, { label: string; icon: IconName }> = {
  pause: { label: 'Pause', icon: 'pause' },
  resume: { label: 'Resume', icon: 'play' },
  cancel: { label: 'Cancel', icon: 'stop' },
};

/** The buttons a job's state allows; disabled while a request for this job is in flight. */
export function JobControls({ job }: { job: JobSnapshot }) {
  const { control } = useJobs();
  const [busy, setBusy] = useState(false);
  const run = async (action: JobAction) => {
    setBusy(true);
    await control(job.id, action);
    setBusy(false);
  };
  return (
    <div className="button-group">
      {availableActions(job.state).map((action) => (
        <button
          key={action}
          type="button"
          className={action === 'cancel' ? 'button button--small button--danger' : 'button button--small'}
          disabled={busy}
          onClick={() => void run(action)}
          aria-label={`${presentation[action].label} ${job.title}`}
          title={presentation[action].label}
          data-testid={`job-${action}`}
        >
          <Icon name={presentation[action].icon} />
          <span className="button__label">{presentation[action].label}</span>
        </button>
      ))}
    </div>
  );
}
