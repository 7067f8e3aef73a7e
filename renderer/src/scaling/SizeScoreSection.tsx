import { useMemo, useState } from 'react';
import { SizeScoreChart, sizeScoreMetricOptions, sizeScorePoints } from '../charts';
import { Icon } from '../components/Icon';
import { routeHref } from '../routing/routes';
import { subjectSize } from './runSubjectSize';
import { useSizeScoreData } from './useSizeScore';

/** STEM2Code-Eval scores of the eval runs against their model's size; runs without a size listed apart. */
export function SizeScoreSection() {
  const { runs, files, loaded, error } = useSizeScoreData();
  const sizes = useMemo(
    () => new Map(runs.map((r) => [r.id, subjectSize(r.config.subject, files)])),
    [runs, files],
  );
  const points = useMemo(
    () => sizeScorePoints(runs, (r) => sizes.get(r.id)?.parameters ?? null),
    [runs, sizes],
  );
  const options = useMemo(() => sizeScoreMetricOptions(points), [points]);
  const [metricChoice, setMetric] = useState<string | null>(null);
  const metric =
    metricChoice !== null && options.includes(metricChoice)
      ? metricChoice
      : options.includes('final')
        ? 'final'
        : (options[0] ?? 'execRate');
  const [selectedRun, setSelectedRun] = useState<string | null>(null);
  const missing = runs.filter((r) => sizes.get(r.id)?.missing);
  const selected = runs.find((r) => r.id === selectedRun) ?? null;
  return (
    <section className="card" aria-label="STEM2Code vs size" data-testid="scaling-size-score">
      <header className="card__header">
        <h2 className="card__title">STEM2Code vs size</h2>
        <p className="card__subtitle">
          Each evaluation run’s score at the size of the model it evaluated (local GGUF files give their
          parameter count).
        </p>
      </header>
      <div className="scaling-charts__body">
        {error && (
          <p className="banner banner--error" role="alert">
            <Icon name="error" />
            <span>{error.message}</span>
          </p>
        )}
        {!loaded ? (
          <p className="muted">Reading the evaluation runs…</p>
        ) : runs.length === 0 ? (
          <p className="card__empty" data-testid="scaling-size-score-empty">
            No evaluation run with results yet. Runs from the <a href={routeHref('evaluate')}>Evaluate</a>{' '}
            page appear here.
          </p>
        ) : (
          <>
            <SizeScoreChart
              points={points}
              metric={metric}
              onMetricChange={setMetric}
              onSelectRun={setSelectedRun}
            />
            {selected && (
              <p className="scaling-size-score__selected" data-testid="scaling-size-score-selected">
                <strong>{selected.name}</strong> · {selected.subject} · {selected.complete} of{' '}
                {selected.total} items · <a href={routeHref('evaluate')}>open the Evaluate page</a>
              </p>
            )}
            {missing.length > 0 && (
              <div className="scaling-size-score__missing" data-testid="scaling-size-score-missing">
                <h3 className="scaling-subtitle">Runs without a model size ({missing.length})</h3>
                <ul>
                  {missing.map((r) => (
                    <li key={r.id}>
                      {r.name} <span className="muted">— {sizes.get(r.id)?.missing}</span>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </>
        )}
      </div>
    </section>
  );
}
