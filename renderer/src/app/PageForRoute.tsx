import type { RouteId } from '../routing/routes';
import { DatasetsPage } from '../pages/DatasetsPage';
import { EvaluatePage } from '../pages/EvaluatePage';
import { JobsPage } from '../pages/JobsPage';
import { ModelsPage } from '../pages/ModelsPage';
import { ScalingPage } from '../pages/ScalingPage';
import { SettingsPage } from '../pages/SettingsPage';

export function PageForRoute({ route }: { route: RouteId }) {
  switch (route) {
    case 'datasets':
      return <DatasetsPage />;
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
