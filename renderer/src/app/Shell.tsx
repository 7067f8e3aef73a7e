import { useEffect, useRef } from 'react';
import { describeError } from '../api/describeError';
import { useEngine } from '../api/EngineContext';
import { AppHeader } from '../components/AppHeader';
import { NavSidebar } from '../components/NavSidebar';
import { StatusBar } from '../components/StatusBar';
import { JobsProvider } from '../jobs/JobsProvider';
import { useToasts } from '../notifications/ToastProvider';
import { sectionOf } from '../routing/routes';
import { useHashRoute } from '../routing/useHashRoute';
import { useNavigationShortcuts } from '../routing/useNavigationShortcuts';
import { SettingsProvider } from '../settings/SettingsProvider';
import { RenderHealthProvider } from '../system/RenderHealthProvider';
import { SystemInfoProvider } from '../system/SystemInfoProvider';
import { PageForRoute } from './PageForRoute';

/** The connected workbench: header, navigation, the current page, status bar. */
export function Shell() {
  return (
    <SettingsProvider>
      <SystemInfoProvider>
        <RenderHealthProvider>
          <JobsProvider>
            <ProtocolErrorToasts />
            <ShellLayout />
          </JobsProvider>
        </RenderHealthProvider>
      </SystemInfoProvider>
    </SettingsProvider>
  );
}

function ShellLayout() {
  const [page, navigate] = useHashRoute();
  const section = sectionOf(page);
  const goArmed = useNavigationShortcuts(navigate);
  const main = useRef<HTMLElement>(null);
  const firstRoute = useRef(true);

  // After navigation, focus lands on the new page's heading so keyboard and screen-reader users follow.
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    const focusHeading = () => {
      const heading = main.current?.querySelector<HTMLElement>('[data-testid="page-heading"]');
      heading?.focus();
      return heading !== null && heading !== undefined;
    };
    if (focusHeading() || !main.current) return;
    // A page loaded on first use (the playground) renders its heading a moment later.
    const observer = new MutationObserver(() => focusHeading() && observer.disconnect());
    observer.observe(main.current, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [page]);

  return (
    <div className="shell">
      <AppHeader />
      <NavSidebar current={section} goArmed={goArmed} />
      <main className="shell__main" ref={main} data-testid={`page-${page}`}>
        <PageForRoute page={page} />
      </main>
      <StatusBar />
    </div>
  );
}

/** Protocol errors the engine pushes outside any call (a dropped connection has its own full page). */
function ProtocolErrorToasts() {
  const { client } = useEngine();
  const { reportError } = useToasts();
  useEffect(
    () =>
      client.onError((error) => {
        if (describeError(error).code !== 'TRANSPORT_CLOSED')
          reportError('The engine reported a protocol error', error);
      }),
    [client, reportError],
  );
  return null;
}
