import type { JobSnapshot, JobState } from '../../../main/api/jobs';
import type { StudyInfo } from '../../../main/api/scaling';
import { formatDuration } from '../format/duration';
import { formatRate } from '../format/rate';

export type StudyStatus = StudyInfo['status'];

/** A study's status in the job vocabulary the shared badge and controls speak ('completed' is a done job). */
export function statusAsJobState(status: StudyStatus): JobState {
  return status === 'completed' ? 'done' : status;
}

export function isStudyActive(status: StudyStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** What the progress header says: answers done of total, answers per second, time left. */
export interface StudyProgressFacts {
  state: JobState;
  done: number;
  failed: number;
  total: number;
  /** "3.20/s", "12/min", or "—" before two answers finished. */
  rate: string;
  /** "1m 05s", or "—" when unknown. */
  eta: string;
  active: boolean;
}

/**
 * The study's own counts (answers, every cell's items) are the truth for done/total; the live job adds the
 * rate and ETA. The job's own units, when it reports answers as units, are preferred for the rate.
 */
export function studyProgressFacts(study: StudyInfo, job: JobSnapshot | null): StudyProgressFacts {
  const state = job ? job.state : statusAsJobState(study.status);
  const active = state === 'queued' || state === 'running';
  const ratePerSec = job?.units?.ratePerSec ?? job?.ratePerSec ?? null;
  const failed = job?.failed ?? 0;
  return {
    state,
    done: study.done,
    failed: Math.min(failed, study.done),
    total: study.total,
    rate: active ? formatRate(ratePerSec) : '—',
    eta: active ? formatDuration(job?.etaSec ?? null) : '—',
    active,
  };
}
