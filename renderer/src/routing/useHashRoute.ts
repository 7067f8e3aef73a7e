import { useCallback, useEffect, useState } from 'react';
import { defaultRoute, routeFromHash, routeHref } from './routes';
import type { RouteId } from './routes';

function currentRoute(): RouteId {
  return routeFromHash(window.location.hash) ?? defaultRoute;
}

/** Hash routing keeps every page linkable and works the same from file:// (Electron) and http:// (serve). */
export function useHashRoute(): [RouteId, (id: RouteId) => void] {
  const [route, setRoute] = useState<RouteId>(currentRoute);

  useEffect(() => {
    if (routeFromHash(window.location.hash) === null) {
      window.history.replaceState(window.history.state, '', routeHref(defaultRoute));
    }
    const onHashChange = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const navigate = useCallback((id: RouteId) => {
    window.location.hash = routeHref(id);
  }, []);

  return [route, navigate];
}
