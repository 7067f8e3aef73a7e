import { lazy, Suspense } from 'react';
import type { PageId } from '../routing/routes';
import { DatasetsPage } from '../pages/DatasetsPage';
import { EvaluatePage } from '../pages/EvaluatePage';
import { JobsPage } from '../pages/JobsPage';
import { ModelsPage } from '../pages/ModelsPage';
import { ScalingPage } from '../pages/ScalingPage';
import { SettingsPage } from '../pages/SettingsPage';

// The playground carries the code editor (CodeMirror); it loads when first opened, not with the app.
const RenderPlaygroundPage = lazy(() =>
  import('../pages/RenderPlaygroundPage').then((m) => ({ default: m.RenderPlaygroundPage })),
);

export function PageForRoute({ page }: { page: PageId }) {
  switch (page) {
    case 'datasets':
      return <DatasetsPage />;
    case 'playground':
      return (
        <Suspense fallback={<p className="page muted">Loading the render playground…</p>}>
          <RenderPlaygroundPage />
        </Suspense>
      );
    case 'evaluate':
      return <EvaluatePage />;
    case 'scaling':
      return <ScalingPage />;
    case 'models':
      return <ModelsPage />;
    case 'jobs':
      return <JobsPage />;
    case 'settings':
      return <SettingsPage />;
  }
}
