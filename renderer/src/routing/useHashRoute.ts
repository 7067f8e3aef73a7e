import { useCallback, useEffect, useState } from 'react';
import { defaultRoute, pageFromHash, routeHref } from './routes';
import type { PageId } from './routes';

function currentPage(): PageId {
  return pageFromHash(window.location.hash) ?? defaultRoute;
}

/** Hash routing keeps every page linkable and works the same from file:// (Electron) and http:// (serve). */
export function useHashRoute(): [PageId, (id: PageId) => void] {
  const [page, setPage] = useState<PageId>(currentPage);

  useEffect(() => {
    if (pageFromHash(window.location.hash) === null) {
      window.history.replaceState(window.history.state, '', routeHref(defaultRoute));
    }
    const onHashChange = () => setPage(currentPage());
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const navigate = useCallback((id: PageId) => {
    window.location.hash = routeHref(id);
  }, []);

  return [page, navigate];
}
