import type { ReactNode } from 'react';
import { Icon } from './Icon';
import type { IconName } from './Icon';

interface FullPageMessageProps {
  icon: IconName;
  title: string;
  tone: 'neutral' | 'error';
  children: ReactNode;
  testId: string;
}

/** Used before the shell exists (connecting, no engine): never a blank window. */
export function FullPageMessage({ icon, title, tone, children, testId }: FullPageMessageProps) {
  return (
    <main className={`full-page full-page--${tone}`} data-testid={testId}>
      <div className="full-page__card" role={tone === 'error' ? 'alert' : 'status'}>
        <Icon name={icon} className="full-page__icon" />
        <h1 className="full-page__title">{title}</h1>
        {children}
      </div>
    </main>
  );
}
