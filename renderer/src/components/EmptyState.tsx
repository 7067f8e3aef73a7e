import { Icon } from './Icon';
import type { IconName } from './Icon';

interface EmptyStateProps {
  icon: IconName;
  title: string;
  /** What the page will hold. */
  summary: string;
  /** What it will let the researcher do, one capability a line. */
  planned: readonly string[];
  /** Which later piece of work brings it. */
  arrivesWith: string;
}

/** An honest placeholder: says what is coming and when, shows no invented data. */
export function EmptyState({ icon, title, summary, planned, arrivesWith }: EmptyStateProps) {
  return (
    <section className="empty-state" data-testid="empty-state">
      <Icon name={icon} className="empty-state__icon" />
      <h2 className="empty-state__title">{title}</h2>
      <p className="empty-state__summary">{summary}</p>
      <ul className="empty-state__planned">
        {planned.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <p className="empty-state__arrives">
        <span className="tag">Not yet available</span> {arrivesWith}
      </p>
    </section>
  );
}
