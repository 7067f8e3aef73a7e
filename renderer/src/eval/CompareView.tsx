import { useEffect, useMemo, useState } from 'react';
import type { EvalItemResult, EvalRunInfo, RunComparison } from '../../../main/api/eval';
import { useEngine } from '../api/EngineContext';
import { describeError } from '../api/describeError';
import { Icon } from '../components/Icon';
import { compareItems, comparableRuns, comparisonLines, signed } from './compareRuns';
import { SCORE_COLUMNS, formatScore } from './resultsQuery';
import type { ScoreKey } from './resultsQuery';

const PAGE = 1000;

/** Every item of a run (eval.items pages of 1000). */
async function allItems(
  call: (p: {
    runId: string;
    offset: number;
    limit: number;
  }) => Promise<{ items: EvalItemResult[]; total: number }>,
  runId: string,
): Promise<{ items: EvalItemResult[] }> {
  const items: EvalItemResult[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await call({ runId, offset, limit: PAGE });
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) break;
  }
  return { items };
}

/**
 * Two runs on the same benchmark: the engine's paired comparison (eval.compare: B − A with its bootstrap CI,
 * p and verdict per score and metric, execution flips), then per-item differences on a chosen score.
 */
export function CompareView({ runs, initialA }: { runs: EvalRunInfo[]; initialA: string | null }) {
  const { client } = useEngine();
  const [a, setA] = useState<string>(initialA ?? runs[0]?.id ?? '');
  const runA = runs.find((r) => r.id === a) ?? null;
  const candidatesB = comparableRuns(runs, runA);
  const [b, setB] = useState<string>('');
  const bId = candidatesB.some((r) => r.id === b) ? b : (candidatesB[0]?.id ?? '');
  const [key, setKey] = useState<ScoreKey>('ssim');
  const [data, setData] = useState<{
    key: string;
    comparison: RunComparison;
    itemsA: EvalItemResult[];
    itemsB: EvalItemResult[];
  } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!a || !bId) return;
    let live = true;
    const call = (p: { runId: string; offset: number; limit: number }) => client.call('eval.items', p);
    Promise.all([client.call('eval.compare', { a, b: bId }), allItems(call, a), allItems(call, bId)]).then(
      ([comparison, ia, ib]) =>
        live &&
        (setData({ key: `${a}|${bId}`, comparison, itemsA: ia.items, itemsB: ib.items }), setError(null)),
      (e: unknown) => live && setError(describeError(e).message),
    );
    return () => {
      live = false;
    };
  }, [client, a, bId]);

  const current = data?.key === `${a}|${bId}` ? data : null;
  const lines = useMemo(() => (current ? comparisonLines(current.comparison) : []), [current]);
  const items = useMemo(
    () => (current ? compareItems(current.itemsA, current.itemsB, key) : []),
    [current, key],
  );
  const tone = (d: number | null) =>
    d === null || Math.abs(d) < 1e-9 ? '' : d > 0 ? 'eval-delta--up' : 'eval-delta--down';

  return (
    <section className="eval-compare" data-testid="eval-compare">
      <div className="card">
        <div className="form-row">
          <label className="field">
            <span className="field__label">Run A</span>
            <select
              className="input"
              value={a}
              onChange={(e) => setA(e.target.value)}
              data-testid="eval-compare-a"
            >
              {runs.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name} — {r.benchmark.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field__label">Run B (same benchmark)</span>
            <select
              className="input"
              value={bId}
              onChange={(e) => setB(e.target.value)}
              data-testid="eval-compare-b"
            >
              {candidatesB.length === 0 && <option value="">No other run on this benchmark</option>}
              {candidatesB.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      {error && (
        <p className="banner banner--error" role="alert">
          <Icon name="error" />
          <span>{error}</span>
        </p>
      )}
      {current && (
        <>
          <div className="card">
            <header className="card__header">
              <h2 className="card__title">Paired comparison</h2>
              <p className="card__subtitle">
                {current.comparison.shared} shared items. Δ = B − A with its 95% paired-bootstrap interval and
                p-value; strict counts every failure 0, conditional pairs only items both runs executed (and
                scored). Scores 0–100, metrics 0–1.
              </p>
            </header>
            <div className="table-wrap">
              <table className="table" data-testid="eval-compare-metrics">
                <thead>
                  <tr>
                    <th>Score</th>
                    <th>Variant</th>
                    <th className="num">n</th>
                    <th className="num">A: {current.comparison.a.name}</th>
                    <th className="num">B: {current.comparison.b.name}</th>
                    <th className="num">Δ B − A</th>
                    <th className="num">95% CI</th>
                    <th className="num">p</th>
                    <th>Verdict</th>
                  </tr>
                </thead>
                <tbody>
                  {lines.map((m) => (
                    <tr
                      key={`${m.key}:${m.variant}`}
                      data-testid="eval-compare-metric"
                      data-key={m.key}
                      data-variant={m.variant}
                    >
                      <td className="eval-rowlabel">{m.label}</td>
                      <td className="muted">{m.variant}</td>
                      <td className="num muted">{m.n}</td>
                      <td className="num">{m.a}</td>
                      <td className="num">{m.b}</td>
                      <td className={`num ${tone(m.delta)}`} data-testid="eval-compare-delta">
                        {m.deltaText}
                      </td>
                      <td className="num muted">{m.delta95}</td>
                      <td className="num">{m.p}</td>
                      <td data-testid="eval-compare-verdict">
                        {m.verdict === 'no detectable difference' ? (
                          <span className="muted">no detectable difference</span>
                        ) : (
                          <span className={m.verdict === 'B better' ? 'eval-delta--up' : 'eval-delta--down'}>
                            {m.verdict}
                          </span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="eval-compare__flips" data-testid="eval-compare-flips">
              {(
                [
                  ['Executed in B, failed in A', current.comparison.flips.executedInBOnly],
                  ['Executed in A, failed in B', current.comparison.flips.executedInAOnly],
                ] as const
              ).map(([label, flips]) => (
                <p key={label}>
                  <strong>{label}</strong> ({flips.length}):{' '}
                  {flips.length === 0 ? (
                    <span className="muted">none</span>
                  ) : (
                    flips.map((f) => `${f.uid}${f.failure ? ` [${f.failure}]` : ''}`).join(', ')
                  )}
                </p>
              ))}
              {(current.comparison.onlyInA.length > 0 || current.comparison.onlyInB.length > 0) && (
                <p className="muted">
                  Not compared: {current.comparison.onlyInA.length} items only in A,{' '}
                  {current.comparison.onlyInB.length} only in B.
                </p>
              )}
            </div>
          </div>
          <div className="card">
            <header className="card__header card__header--row">
              <h2 className="card__title">Per item</h2>
              <select
                className="input input--select-narrow"
                value={key}
                onChange={(e) => setKey(e.target.value as ScoreKey)}
                aria-label="Score to compare"
                data-testid="eval-compare-key"
              >
                {SCORE_COLUMNS.map((c) => (
                  <option key={c.key} value={c.key}>
                    {c.title}
                  </option>
                ))}
              </select>
            </header>
            <div className="table-wrap">
              <table className="table" data-testid="eval-compare-items">
                <thead>
                  <tr>
                    <th>Item</th>
                    <th>Category</th>
                    <th>A outcome</th>
                    <th className="num">A</th>
                    <th>B outcome</th>
                    <th className="num">B</th>
                    <th className="num">Δ</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((i) => (
                    <tr key={i.itemId} data-testid="eval-compare-item" data-uid={i.uid}>
                      <td className="mono">{i.uid}</td>
                      <td>{i.category ?? '—'}</td>
                      <td>{i.a ? (i.a.failure ?? 'executed') : 'not in run'}</td>
                      <td className="num">{formatScore(key, i.valueA)}</td>
                      <td>{i.b ? (i.b.failure ?? 'executed') : 'not in run'}</td>
                      <td className="num">{formatScore(key, i.valueB)}</td>
                      <td className={`num ${tone(i.delta)}`}>
                        {signed(i.delta, key === 'imageScore' || key === 'codeScore' ? 1 : 3)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        </>
      )}
    </section>
  );
}
