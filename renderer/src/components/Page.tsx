import type { ReactNode } from 'react';

interface PageProps {
  title: string;
  description: ReactNode;
  actions?: ReactNode;
  /** Use the whole main area (width and height), for work surfaces such as the render playground. */
  fill?: boolean;
  children: ReactNode;
}

/** Every page's frame: one h1 (focused after navigation, read by the e2e test) and a one-line purpose. */
export function Page({ title, description, actions, fill, children }: PageProps) {
  return (
    <article className={fill ? 'page page--fill' : 'page'}>
      <header className="page__header">
        <div>
          <h1 className="page__title" tabIndex={-1} data-testid="page-heading">
            {title}
          </h1>
          <p className="page__description">{description}</p>
        </div>
        {actions && <div className="page__actions">{actions}</div>}
      </header>
      {children}
    </article>
  );
}
