import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import '../../renderer/src/styles/app.css';
import type { CellKey } from '../../main/api/scaling';
import { GridHeatmap, ScalingCurves, SizeScoreChart } from '../../renderer/src/charts';
import type { ChartMetric, ScalingMode } from '../../renderer/src/charts';
import { fixtureExternal, fixtureSizeScorePoints, fixtureStudy } from './chartsFixture';

/**
 * The charts on a bare page with the known fixture, for tests/e2e/charts.test.ts. `?theme=dark` switches the
 * app theme; `?mode=` picks the curves' mode; `?study=none` draws the external set alone. The last selection
 * is written to #selection so the test can read what a click selected.
 */
const params = new URLSearchParams(window.location.search);
document.documentElement.dataset.theme = params.get('theme') === 'dark' ? 'dark' : 'light';
const study = params.get('study') === 'none' ? null : fixtureStudy();
const external = [fixtureExternal];

function Harness() {
  const [metric, setMetric] = useState<ChartMetric>('overall');
  const [mode, setMode] = useState<ScalingMode>((params.get('mode') as ScalingMode | null) ?? 'perception');
  const [scoreMetric, setScoreMetric] = useState('final');
  const [selection, setSelection] = useState<{ cell?: CellKey; run?: string } | null>(null);
  return (
    <main
      style={{
        padding: 16,
        display: 'flex',
        flexDirection: 'column',
        gap: 24,
        background: 'var(--bg)',
        color: 'var(--text)',
      }}
    >
      <pre data-testid="selection">{selection ? JSON.stringify(selection) : ''}</pre>
      <section style={{ width: 820 }}>
        <ScalingCurves
          study={study}
          external={external}
          metric={metric}
          mode={mode}
          onSelectCell={(cell) => setSelection({ cell })}
          onMetricChange={setMetric}
          onModeChange={setMode}
        />
      </section>
      {study ? (
        <section style={{ width: 820 }}>
          <GridHeatmap
            study={study}
            metric={metric}
            onSelectCell={(cell) => setSelection({ cell })}
            onMetricChange={setMetric}
          />
        </section>
      ) : null}
      <section style={{ width: 820 }}>
        <SizeScoreChart
          points={fixtureSizeScorePoints}
          metric={scoreMetric}
          onSelectRun={(run) => setSelection({ run })}
          onMetricChange={setScoreMetric}
        />
      </section>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Harness />
  </StrictMode>,
);
