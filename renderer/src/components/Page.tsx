import type { ReactNode } from 'react';

interface PageProps {
  title: string;
  description: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}

/** Every page's frame: one h1 (focused after navigation, read by the e2e test) and a one-line purpose. */
export function Page({ title, description, actions, children }: PageProps) {
  return (
    <article className="page">
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
