import { useMemo, useState } from 'react';
import type { JobSnapshot } from '../../../main/api/jobs';
import type { CellKey, ExternalResultSet, StudyDetail } from '../../../main/api/scaling';
import { GridHeatmap, ScalingCurves, chartMetricOptions } from '../charts';
import type { ChartMetric, ScalingMode } from '../charts';
import { AccuracyTableView } from './AccuracyTableView';
import { CellItems } from './CellItems';
import { ChartControls, availableMetric } from './ChartControls';
import { ExternalSetsPanel } from './ExternalSetsPanel';
import type { ExternalSetsControl } from './externalSetsControl';
import { ModelSizes } from './ModelSizes';
import { StudyProgress } from './StudyProgress';

/** A study: progress while it runs, the curves and the heatmap, per-cell accuracy, sizes, and one cell's items. */
export function StudyView({
  study,
  job,
  external,
  onStudyChanged,
}: {
  study: StudyDetail;
  job: JobSnapshot | null;
  external: ExternalSetsControl;
  onStudyChanged: (detail: StudyDetail) => void;
}) {
  const [metricChoice, setMetric] = useState<ChartMetric>('overall');
  const [mode, setMode] = useState<ScalingMode>('perception');
  const [selected, setSelectedCell] = useState<CellKey | null>(null);
  // Only the key: callers may hand over a whole StudyCell, and scaling.items takes exactly {captioner, solver}.
  const setSelected = (cell: CellKey | null) =>
    setSelectedCell(cell && { captioner: cell.captioner, solver: cell.solver });
  const overlay: ExternalResultSet[] = useMemo(
    () => external.sets.filter((s) => external.shown.has(s.id)),
    [external.sets, external.shown],
  );
  const options = useMemo(() => chartMetricOptions(study, overlay), [study, overlay]);
  const metric = availableMetric(metricChoice, options);
  const version = `${study.done}:${job?.state ?? study.status}`;
  return (
    <div
      className="scaling-study"
      data-testid="scaling-study"
      data-status={study.status}
      data-name={study.name}
    >
      <header className="scaling-study__header">
        <h2 className="scaling-study__title" data-testid="scaling-study-name">
          {study.name}
        </h2>
        <p className="muted">
          {study.datasetName} · {study.variant === 'code' ? 'captioners write code' : 'captioners describe'} ·{' '}
          {study.captioners.length} captioner{study.captioners.length === 1 ? '' : 's'} ×{' '}
          {study.solvers.length} solver
          {study.solvers.length === 1 ? '' : 's'}
          {study.settings.direct ? ' + direct baseline' : ''} · created{' '}
          {new Date(study.createdAt).toLocaleString()}
        </p>
      </header>
      <StudyProgress study={study} job={job} />
      <section className="card scaling-charts" aria-label="Charts" data-testid="scaling-charts">
        <header className="card__header card__header--row">
          <h2 className="card__title">Curves and grid</h2>
          <ChartControls
            metric={metric}
            options={options}
            onMetric={setMetric}
            mode={mode}
            onMode={setMode}
          />
        </header>
        <div className="scaling-charts__body">
          <ScalingCurves
            study={study}
            external={overlay}
            metric={metric}
            mode={mode}
            onSelectCell={setSelected}
          />
          <ExternalSetsPanel
            sets={external.sets}
            shown={external.shown}
            onShownChange={external.setShown}
            onChanged={external.changed}
            error={external.error}
          />
          <section className="scaling-grid" aria-label="Captioner × solver grid">
            <h3 className="scaling-subtitle">Captioner × solver grid</h3>
            <GridHeatmap study={study} metric={metric} onSelectCell={setSelected} />
          </section>
          <p className="muted scaling-form__hint">Click a point or a cell to see the items behind it.</p>
        </div>
      </section>
      {selected && (
        <CellItems
          key={`${selected.captioner}|${selected.solver ?? ''}`}
          study={study}
          cell={selected}
          version={version}
          onClose={() => setSelected(null)}
        />
      )}
      <AccuracyTableView study={study} selected={selected} onSelect={setSelected} />
      <ModelSizes study={study} onSaved={onStudyChanged} />
    </div>
  );
}
