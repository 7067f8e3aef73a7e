import { useMemo, useState } from 'react';
import { ScalingCurves, buildScalingSeries, chartMetricOptions } from '../charts';
import type { ChartMetric, ChartMetricOption, ScalingMode } from '../charts';
import type { ExternalResultSet } from '../../../main/api/scaling';
import { ChartControls, availableMetric } from './ChartControls';
import { ExternalSetsPanel } from './ExternalSetsPanel';
import type { ExternalSetsControl } from './externalSetsControl';

/**
 * Until the person picks one: the first metric anything is drawn for (a paper may report only per-benchmark
 * numbers, and then "all items" would show an empty chart).
 */
function firstDrawnMetric(
  overlay: readonly ExternalResultSet[],
  options: readonly ChartMetricOption[],
  mode: ScalingMode,
): ChartMetric {
  const drawn = options.find(
    (o) => buildScalingSeries({ study: null, external: overlay, metric: o.value, mode }).series.length > 0,
  );
  return drawn?.value ?? 'overall';
}

/**
 * Published numbers on their own, without a study: what a new user sees first (the demo set with the
 * paper's numbers comes with the sample data), and where external CSVs are imported and managed.
 */
export function PublishedResults({ external }: { external: ExternalSetsControl }) {
  const [metricChoice, setMetric] = useState<ChartMetric | null>(null);
  const [mode, setMode] = useState<ScalingMode>('compare');
  const overlay = useMemo(
    () => external.sets.filter((s) => external.shown.has(s.id)),
    [external.sets, external.shown],
  );
  const options = useMemo(() => chartMetricOptions(null, overlay), [overlay]);
  const metric =
    metricChoice !== null ? availableMetric(metricChoice, options) : firstDrawnMetric(overlay, options, mode);
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
        {external.sets.length > 0 && overlay.length === 0 && (
          <p className="banner banner--warn" role="status" data-testid="scaling-published-hidden">
            Every external set is hidden: tick one below to draw it.
          </p>
        )}
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
