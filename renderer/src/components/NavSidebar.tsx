import { useJobs } from '../jobs/JobsProvider';
import { isActive } from '../jobs/jobModel';
import { routeHref, routes } from '../routing/routes';
import type { RouteId } from '../routing/routes';
import { Icon } from './Icon';

interface NavSidebarProps {
  current: RouteId;
  /** `g` was pressed: the hint shows that a page key is awaited. */
  goArmed: boolean;
}

export function NavSidebar({ current, goArmed }: NavSidebarProps) {
  const { jobs } = useJobs();
  const activeJobs = jobs.filter((j) => isActive(j.state)).length;
  return (
    <nav className="nav" aria-label="Pages">
      <ul className="nav__list">
        {routes.map((route, index) => (
          <li key={route.id}>
            <a
              className="nav__link"
              href={routeHref(route.id)}
              aria-current={route.id === current ? 'page' : undefined}
              aria-keyshortcuts={`g ${route.key} Alt+${index + 1}`}
              title={`${route.label} — g then ${route.key}, or Alt+${index + 1}`}
              data-testid={`nav-${route.id}`}
            >
              <Icon name={route.icon} />
              <span className="nav__label">{route.label}</span>
              {route.id === 'jobs' && activeJobs > 0 && (
                <span
                  className="nav__count"
                  aria-label={`${activeJobs} active`}
                  data-testid="nav-active-jobs"
                >
                  {activeJobs}
                </span>
              )}
              <kbd className="nav__key">g {route.key}</kbd>
            </a>
          </li>
        ))}
      </ul>
      <div
        className={goArmed ? 'nav__hint nav__hint--armed' : 'nav__hint'}
        data-testid="shortcut-hint"
        aria-live="polite"
      >
        {goArmed ? (
          <span className="nav__hint-line">
            <kbd>g</kbd> … now press a page key
          </span>
        ) : (
          <>
            <span className="nav__hint-line">
              <kbd>g</kbd> <kbd>key</kbd> go to page
            </span>
            <span className="nav__hint-line">
              <kbd>Alt</kbd>+<kbd>1–6</kbd> by position
            </span>
          </>
        )}
      </div>
    </nav>
  );
}
