import { formatPercent } from '../format/percent';

interface ProgressBarProps {
  /** Items that succeeded. */
  done: number;
  /** Items that failed; drawn as their own segment. */
  failed: number;
  total: number;
  label: string;
  testId?: string;
}

/**
 * A real progressbar for assistive tech and tests: aria-valuenow counts every processed item (done + failed)
 * so it reaches aria-valuemax when the job has nothing left. With total unknown (0) it is indeterminate.
 */
export function ProgressBar({ done, failed, total, label, testId }: ProgressBarProps) {
  const processed = Math.min(done + failed, total);
  const known = total > 0;
  const width = (n: number) => `${known ? (Math.min(n, total) / total) * 100 : 0}%`;
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={known ? total : undefined}
      aria-valuenow={known ? processed : undefined}
      aria-valuetext={
        known
          ? `${processed} of ${total} items (${formatPercent(processed, total)}), ${failed} failed`
          : 'planning'
      }
      data-testid={testId}
      data-indeterminate={known ? undefined : true}
    >
      <div className="progress__done" style={{ width: width(done) }} />
      <div className="progress__failed" style={{ width: width(failed) }} />
    </div>
  );
}
