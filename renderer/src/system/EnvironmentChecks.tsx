import { useId } from 'react';
import { CheckStatusIcon } from '../components/CheckStatusIcon';
import { Icon } from '../components/Icon';
import { formatTimestamp } from '../format/timestamp';
import { useSystemInfo } from './SystemInfoProvider';

/** What the engine found on this machine (the same list as `codepercept doctor`), with how to fix each gap. */
export function EnvironmentChecks() {
  const { info, rechecking, recheck } = useSystemInfo();
  const id = useId();
  const problems = info?.checks.filter((c) => c.status !== 'ok').length ?? 0;
  return (
    <section className="card" aria-labelledby={`${id}-title`} aria-busy={rechecking}>
      <div className="card__header card__header--row">
        <div>
          <h2 className="card__title" id={`${id}-title`}>
            Environment
          </h2>
          <p className="card__subtitle">
            {info
              ? `${problems === 0 ? 'Everything found' : `${problems} to look at`} · checked ${formatTimestamp(info.checkedAt)}`
              : 'Checking…'}
          </p>
        </div>
        <button
          type="button"
          className="button"
          onClick={() => void recheck()}
          disabled={rechecking}
          data-testid="checks-recheck"
        >
          <Icon name="refresh" className={rechecking ? 'spin' : undefined} />
          {rechecking ? 'Checking…' : 'Re-check'}
        </button>
      </div>
      {info && (
        <ul className="checks" data-testid="checks-list" data-checked-at={info.checkedAt}>
          {info.checks.map((check) => (
            <li
              key={check.id}
              className="checks__item"
              data-testid={`check-${check.id}`}
              data-status={check.status}
            >
              <CheckStatusIcon status={check.status} />
              <span className="checks__label">{check.label}</span>
              <span className="checks__detail mono">{check.detail}</span>
              {check.fix && <span className="checks__fix">{check.fix}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
