import type { IconName } from '../components/Icon';

export interface RouteSpec {
  id: RouteId;
  label: string;
  /** The key pressed after `g`; Alt+<position> also reaches the page. */
  key: string;
  icon: IconName;
}

/** The sections in the navigation. */
export type RouteId = 'datasets' | 'evaluate' | 'scaling' | 'models' | 'jobs' | 'settings';

/** Every page: a section's own page, or a page inside a section (the navigation highlights its section). */
export type PageId = RouteId | 'playground';

export interface SubPageSpec {
  id: Exclude<PageId, RouteId>;
  section: RouteId;
  /** The hash path after the section, e.g. 'playground' in `#/datasets/playground`. */
  path: string;
}

export const routes: readonly RouteSpec[] = [
  { id: 'datasets', label: 'Datasets', key: 'd', icon: 'datasets' },
  { id: 'evaluate', label: 'Evaluate', key: 'e', icon: 'evaluate' },
  { id: 'scaling', label: 'Scaling', key: 's', icon: 'scaling' },
  { id: 'models', label: 'Models', key: 'm', icon: 'models' },
  { id: 'jobs', label: 'Jobs', key: 'j', icon: 'jobs' },
  { id: 'settings', label: 'Settings', key: ',', icon: 'settings' },
];

export const subPages: readonly SubPageSpec[] = [
  { id: 'playground', section: 'datasets', path: 'playground' },
];

export const defaultRoute: RouteId = 'datasets';

function isRouteId(page: PageId): page is RouteId {
  return routes.some((r) => r.id === page);
}

/** `#/datasets/playground` for a sub-page, `#/jobs` for a section. */
export function routeHref(id: PageId): string {
  if (isRouteId(id)) return `#/${id}`;
  const sub = subPages.find((p) => p.id === id)!;
  return `#/${sub.section}/${sub.path}`;
}

/** The navigation section a page belongs to. */
export function sectionOf(page: PageId): RouteId {
  return isRouteId(page) ? page : subPages.find((p) => p.id === page)!.section;
}

function hashSegments(hash: string): string[] {
  return (hash.replace(/^#\/?/, '').split('?')[0] ?? '').split('/');
}

/** `#/jobs` → 'jobs'; anything unknown → null (the caller redirects to the default page). */
export function routeFromHash(hash: string): RouteId | null {
  const id = hashSegments(hash)[0] ?? '';
  return routes.find((r) => r.id === id)?.id ?? null;
}

/** `#/datasets/playground` → 'playground'; an unknown path inside a section → that section's page. */
export function pageFromHash(hash: string): PageId | null {
  const section = routeFromHash(hash);
  if (!section) return null;
  const path = hashSegments(hash)[1];
  return subPages.find((p) => p.section === section && p.path === path)?.id ?? section;
}
