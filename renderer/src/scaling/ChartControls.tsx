import type { ChartMetric, ChartMetricOption, ScalingMode } from '../charts';

const MODES: { value: ScalingMode; label: string; title: string }[] = [
  { value: 'perception', label: 'Perception', title: 'x = captioner size; one line per solver' },
  { value: 'reasoning', label: 'Reasoning', title: 'x = solver size; one line per captioner' },
  { value: 'compare', label: 'Compare', title: 'Perception scaled vs reasoning scaled (the paper’s figure)' },
];

/** The metric every chart of the page plots, and which component the curves scale. */
export function ChartControls({
  metric,
  options,
  onMetric,
  mode,
  onMode,
}: {
  metric: ChartMetric;
  options: readonly ChartMetricOption[];
  onMetric: (metric: ChartMetric) => void;
  mode: ScalingMode;
  onMode: (mode: ScalingMode) => void;
}) {
  return (
    <div className="scaling-controls" role="group" aria-label="Chart settings">
      <label className="scaling-inline-field">
        <span className="muted">Metric</span>
        <select
          className="input input--select-narrow"
          value={metric}
          onChange={(e) => onMetric(e.target.value as ChartMetric)}
          data-testid="scaling-metric"
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <div className="scaling-segmented" role="group" aria-label="Curves" data-testid="scaling-mode">
        {MODES.map((m) => (
          <button
            key={m.value}
            type="button"
            className="scaling-segmented__button"
            aria-pressed={mode === m.value}
            title={m.title}
            onClick={() => onMode(m.value)}
            data-testid={`scaling-mode-${m.value}`}
          >
            {m.label}
          </button>
        ))}
      </div>
    </div>
  );
}

/** The chosen metric while the options offer it; 'overall' once they do not (another study, another set). */
export function availableMetric(metric: ChartMetric, options: readonly ChartMetricOption[]): ChartMetric {
  return options.some((o) => o.value === metric) ? metric : 'overall';
}
