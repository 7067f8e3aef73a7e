import { useMemo, useState } from 'react';
import { ScalingCurves, chartMetricOptions } from '../charts';
import type { ChartMetric, ScalingMode } from '../charts';
import { ChartControls, availableMetric } from './ChartControls';
import { ExternalSetsPanel } from './ExternalSetsPanel';
import type { ExternalSetsControl } from './externalSetsControl';

/**
 * Published numbers on their own, without a study: what a new user sees first (the demo set with the
 * paper's numbers comes with the sample data), and where external CSVs are imported and managed.
 */
export function PublishedResults({ external }: { external: ExternalSetsControl }) {
  const [metricChoice, setMetric] = useState<ChartMetric>('overall');
  const [mode, setMode] = useState<ScalingMode>('compare');
  const overlay = useMemo(
    () => external.sets.filter((s) => external.shown.has(s.id)),
    [external.sets, external.shown],
  );
  const options = useMemo(() => chartMetricOptions(null, overlay), [overlay]);
  const metric = availableMetric(metricChoice, options);
  return (
    <section className="card scaling-charts" aria-label="Published results" data-testid="scaling-published">
      <header className="card__header card__header--row">
        <div>
          <h2 className="card__title">Published results</h2>
          <p className="card__subtitle">
            Numbers reported elsewhere, drawn dashed. Start a study to add your own curves.
          </p>
        </div>
        <ChartControls metric={metric} options={options} onMetric={setMetric} mode={mode} onMode={setMode} />
      </header>
      <div className="scaling-charts__body">
        <ScalingCurves study={null} external={overlay} metric={metric} mode={mode} />
        <ExternalSetsPanel
          sets={external.sets}
          shown={external.shown}
          onShownChange={external.setShown}
          onChanged={external.changed}
          error={external.error}
        />
      </div>
    </section>
  );
}
