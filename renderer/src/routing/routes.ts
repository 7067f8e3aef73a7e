import type { IconName } from '../components/Icon';

export interface RouteSpec {
  id: RouteId;
  label: string;
  /** The key pressed after `g`; Alt+<position> also reaches the page. */
  key: string;
  icon: IconName;
}

export type RouteId = 'datasets' | 'evaluate' | 'scaling' | 'models' | 'jobs' | 'settings';

export const routes: readonly RouteSpec[] = [
  { id: 'datasets', label: 'Datasets', key: 'd', icon: 'datasets' },
  { id: 'evaluate', label: 'Evaluate', key: 'e', icon: 'evaluate' },
  { id: 'scaling', label: 'Scaling', key: 's', icon: 'scaling' },
  { id: 'models', label: 'Models', key: 'm', icon: 'models' },
  { id: 'jobs', label: 'Jobs', key: 'j', icon: 'jobs' },
  { id: 'settings', label: 'Settings', key: ',', icon: 'settings' },
];

export const defaultRoute: RouteId = 'datasets';

export function routeHref(id: RouteId): string {
  return `#/${id}`;
}

/** `#/jobs` → 'jobs'; anything unknown → null (the caller redirects to the default page). */
export function routeFromHash(hash: string): RouteId | null {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return routes.find((r) => r.id === id)?.id ?? null;
}
