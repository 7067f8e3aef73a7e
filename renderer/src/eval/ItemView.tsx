import { useEffect, useMemo, useRef, useState } from 'react';
import type { MediaImage } from '../../../main/api/datasets';
import type { EvalItemDetail, FailureClass } from '../../../main/api/eval';
import type { Trace } from '../../../main/api/trace';
import { useEngine } from '../api/EngineContext';
import { describeError } from '../api/describeError';
import { Icon } from '../components/Icon';
import { formatMilliseconds } from '../format/duration';
import { PythonEditor } from '../playground/PythonEditor';
import type { PythonEditorHandle } from '../playground/PythonEditor';
import { useSettings } from '../settings/SettingsProvider';
import { FAILURE_LABELS, SCORE_COLUMNS, formatScore, scoreOf } from './resultsQuery';
import { matchElements, traceElements } from './traceElements';
import type { MatchStatus, TraceElement } from './traceElements';
import { overlayIou, overlayLines } from './overlayCounts';
import { useOverlay } from './useOverlay';

function useImage(sha256: string | null | undefined): MediaImage | null | undefined {
  const { client } = useEngine();
  const [image, setImage] = useState<{ sha: string; image: MediaImage | null } | null>(null);
  useEffect(() => {
    if (!sha256) return;
    let live = true;
    client.call('media.image', { sha256 }).then(
      (img) => live && setImage({ sha: sha256, image: img }),
      () => live && setImage({ sha: sha256, image: null }),
    );
    return () => {
      live = false;
    };
  }, [client, sha256]);
  if (!sha256) return null;
  return image?.sha === sha256 ? image.image : undefined;
}

/** The traces of both canonical renders as the pipeline stored them: the very traces the metrics read. */
function useTraces(detail: EvalItemDetail | null): {
  reference: Trace | null;
  candidate: Trace | null;
  error: string | null;
  loading: boolean;
} {
  const { client } = useEngine();
  const [state, setState] = useState<{
    key: string;
    reference: Trace | null;
    candidate: Trace | null;
    error: string | null;
  } | null>(null);
  const refSha = detail?.referenceCanonical?.traceSha256 ?? null;
  const candSha = detail?.result.canonical?.traceSha256 ?? null;
  const key = `${refSha}:${candSha}`;
  useEffect(() => {
    if (refSha === null && candSha === null) return;
    let live = true;
    const traceOf = (sha256: string | null) =>
      sha256 === null ? Promise.resolve(null) : client.call('trace.get', { sha256 });
    Promise.all([traceOf(refSha), traceOf(candSha)]).then(
      ([reference, candidate]) => live && setState({ key, reference, candidate, error: null }),
      (e: unknown) =>
        live && setState({ key, reference: null, candidate: null, error: describeError(e).message }),
    );
    return () => {
      live = false;
    };
  }, [client, refSha, candSha, key]);
  const current = state?.key === key ? state : null;
  return {
    reference: current?.reference ?? null,
    candidate: current?.candidate ?? null,
    error: current?.error ?? null,
    loading: current === null && (refSha !== null || candSha !== null),
  };
}

const STATUS_LABEL: Record<MatchStatus, string> = {
  matched: 'matched',
  missing: 'missing in the candidate',
  extra: 'only in the candidate',
};

function Figure({
  title,
  image,
  empty,
  testId,
  elements,
  statuses,
  selected,
  onPick,
  children,
}: {
  title: string;
  image: MediaImage | null | undefined;
  empty: string;
  testId: string;
  elements?: TraceElement[];
  statuses?: Map<string, MatchStatus>;
  selected?: string | null;
  onPick?: (id: string) => void;
  children?: React.ReactNode;
}) {
  return (
    <figure className="eval-figure" data-testid={testId}>
      <figcaption className="compare__title">{title}</figcaption>
      <div className="eval-figure__frame">
        {image === undefined ? (
          <span className="muted">Loading…</span>
        ) : image === null ? (
          <span className="muted">{empty}</span>
        ) : (
          <div className="eval-figure__stack">
            <img src={image.dataUrl} alt={title} width={image.width} height={image.height} />
            {elements && statuses && (
              <svg
                className="eval-figure__marks"
                viewBox={`0 0 ${image.width} ${image.height}`}
                preserveAspectRatio="none"
                aria-label={`${title}: elements`}
              >
                {elements.map((e) => {
                  const status = statuses.get(e.id) ?? 'matched';
                  const pad = 3;
                  return (
                    <rect
                      key={e.id}
                      x={e.box[0] - pad}
                      y={e.box[1] - pad}
                      width={Math.max(e.box[2] - e.box[0], 1) + 2 * pad}
                      height={Math.max(e.box[3] - e.box[1], 1) + 2 * pad}
                      className={`eval-mark eval-mark--${status}${selected === e.id ? ' eval-mark--selected' : ''}`}
                      onClick={() => onPick?.(e.id)}
                      data-testid="eval-mark"
                      data-status={status}
                    >
                      <title>
                        {e.label} — {STATUS_LABEL[status]}
                        {e.sourceLine !== null ? ` (line ${e.sourceLine})` : ''}
                      </title>
                    </rect>
                  );
                })}
              </svg>
            )}
          </div>
        )}
      </div>
      {children}
    </figure>
  );
}

function failureLabel(failure: FailureClass): string {
  return FAILURE_LABELS[failure];
}

/** One item of a run: renders side by side with the overlay and the matched elements, code, judges, stages. */
export function ItemView({
  runId,
  itemId,
  sample: initialSample = 0,
  samples = 1,
  onClose,
}: {
  runId: string;
  itemId: number;
  /** Which of the item's answers to show first, and how many the run drew (a switcher when several). */
  sample?: number;
  samples?: number;
  onClose: () => void;
}) {
  const { client } = useEngine();
  const [sample, setSample] = useState(initialSample);
  const { effectiveTheme } = useSettings();
  const [detail, setDetail] = useState<EvalItemDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<{ side: 'reference' | 'candidate'; id: string } | null>(null);
  const [showMarks, setShowMarks] = useState(true);
  const editor = useRef<PythonEditorHandle>(null);

  useEffect(() => {
    let live = true;
    client.call('eval.item', { runId, itemId, sample }).then(
      (d) => live && setDetail(d),
      (e: unknown) => live && setError(describeError(e).message),
    );
    return () => {
      live = false;
    };
  }, [client, runId, itemId, sample]);

  const result = detail?.result ?? null;
  const referenceCanonical = useImage(detail ? (detail.referenceCanonical?.imageSha256 ?? null) : undefined);
  const candidateCanonical = useImage(detail ? (result?.canonical?.imageSha256 ?? null) : undefined);
  const candidateOfficial = useImage(detail ? (result?.official?.imageSha256 ?? null) : undefined);
  const benchmarkImage = useImage(detail ? detail.reference.imageSha256 : undefined);
  const overlay = useOverlay(
    runId,
    itemId,
    Boolean(detail?.referenceCanonical?.imageSha256 && result?.canonical?.imageSha256),
    sample,
  );
  const traces = useTraces(detail);

  const elements = useMemo(() => {
    const reference =
      traces.reference && referenceCanonical ? traceElements(traces.reference, referenceCanonical.width) : [];
    const candidate =
      traces.candidate && candidateCanonical ? traceElements(traces.candidate, candidateCanonical.width) : [];
    return { reference, candidate, match: matchElements(reference, candidate) };
  }, [traces.reference, traces.candidate, referenceCanonical, candidateCanonical]);

  const pick = (side: 'reference' | 'candidate', id: string) => {
    // A reference element points at its partner in the candidate (the code shown is the candidate's).
    const partner = elements.match.partner.get(`${side === 'reference' ? 'r' : 'c'}:${id}`);
    setSelected({ side, id });
    const candidateId = side === 'candidate' ? id : partner;
    const element = candidateId ? elements.candidate.find((e) => e.id === candidateId) : null;
    if (element?.sourceLine != null) editor.current?.revealLine(element.sourceLine, 'source', false);
    else editor.current?.clearMark();
  };
  const selectedIds = new Set<string>();
  if (selected) {
    selectedIds.add(selected.id);
    const partner = elements.match.partner.get(`${selected.side === 'reference' ? 'r' : 'c'}:${selected.id}`);
    if (partner) selectedIds.add(partner);
  }
  const selectedRef = elements.reference.find((e) => selectedIds.has(e.id))?.id ?? null;
  const selectedCand = elements.candidate.find((e) => selectedIds.has(e.id))?.id ?? null;
  const counts = {
    matched: [...elements.match.reference.values()].filter((s) => s === 'matched').length,
    missing: [...elements.match.reference.values()].filter((s) => s === 'missing').length,
    extra: [...elements.match.candidate.values()].filter((s) => s === 'extra').length,
  };
  const listed: { side: 'reference' | 'candidate'; element: TraceElement; status: MatchStatus }[] = [
    ...elements.candidate.map((element) => ({
      side: 'candidate' as const,
      element,
      status: elements.match.candidate.get(element.id)!,
    })),
    ...elements.reference
      .filter((e) => elements.match.reference.get(e.id) === 'missing')
      .map((element) => ({ side: 'reference' as const, element, status: 'missing' as const })),
  ];

  return (
    <section className="card eval-item" aria-label="Item" data-testid="eval-item" data-item={itemId}>
      <header className="card__header card__header--row">
        <div>
          <h2 className="card__title">
            Item{' '}
            <span className="mono" data-testid="eval-item-uid">
              {result?.uid ?? itemId}
            </span>
            {result?.category && <span className="muted"> · {result.category}</span>}
          </h2>
          {result && (
            <p className="card__subtitle">
              {result.failure ? (
                <span className="badge badge--failed" data-testid="eval-item-failure">
                  {failureLabel(result.failure)}
                </span>
              ) : (
                <span className="badge badge--done" data-testid="eval-item-failure">
                  Executed
                </span>
              )}{' '}
              {detail && !detail.complete && <span className="muted">pipeline not finished</span>}
            </p>
          )}
          {samples > 1 && (
            <div className="toolbar" role="group" aria-label="Sample" data-testid="eval-item-samples">
              {Array.from({ length: samples }, (_, k) => (
                <button
                  key={k}
                  type="button"
                  className={`button button--small${k === sample ? ' button--primary' : ''}`}
                  aria-pressed={k === sample}
                  onClick={() => setSample(k)}
                  data-testid="eval-item-sample"
                >
                  Sample {k}
                </button>
              ))}
            </div>
          )}
        </div>
        <button
          type="button"
          className="button button--small"
          onClick={onClose}
          data-testid="eval-item-close"
        >
          <Icon name="back" />
          Back to the results
        </button>
      </header>
      {error && (
        <p className="banner banner--error" role="alert">
          <Icon name="error" />
          <span>{error}</span>
        </p>
      )}
      {result?.official?.failureMessage && (
        <p className="banner banner--error eval-item__failure" data-testid="eval-item-failure-message">
          <Icon name="error" />
          <span>
            {result.official.exceptionType && <strong>{result.official.exceptionType}: </strong>}
            {result.official.failureMessage}
          </span>
        </p>
      )}
      {result?.generation?.error && (
        <p className="banner banner--error">
          <Icon name="error" />
          <span>Generation: {result.generation.error}</span>
        </p>
      )}
      {detail && (
        <div className="eval-item__body">
          <div className="eval-item__toolbar">
            <label className="eval-form__radio">
              <input
                type="checkbox"
                checked={showMarks}
                onChange={(e) => setShowMarks(e.target.checked)}
                data-testid="eval-marks-toggle"
              />
              Show trace elements
            </label>
            {traces.loading && <span className="muted">Reading the traces…</span>}
            {traces.error && <span className="field__problem">Traces unavailable: {traces.error}</span>}
            {!traces.loading &&
              !traces.error &&
              (elements.reference.length > 0 || elements.candidate.length > 0) && (
                <span className="muted" data-testid="eval-element-counts">
                  <span className="swatch swatch--matched" /> {counts.matched} matched{' '}
                  <span className="swatch swatch--missing" /> {counts.missing} missing{' '}
                  <span className="swatch swatch--extra" /> {counts.extra} extra
                </span>
              )}
          </div>
          <div className="eval-item__figures">
            <Figure
              title="Reference (canonical)"
              image={referenceCanonical}
              empty="No canonical render of the reference"
              testId="eval-item-reference"
              elements={showMarks ? elements.reference : undefined}
              statuses={elements.match.reference}
              selected={selectedRef}
              onPick={(id) => pick('reference', id)}
            />
            <Figure
              title="Candidate (canonical)"
              image={candidateCanonical}
              empty={result?.failure ? 'No render: the code failed' : 'No canonical render'}
              testId="eval-item-candidate"
              elements={showMarks ? elements.candidate : undefined}
              statuses={elements.match.candidate}
              selected={selectedCand}
              onPick={(id) => pick('candidate', id)}
            />
            <figure className="eval-figure" data-testid="eval-item-overlay">
              <figcaption
                className="compare__title"
                title="Made by the engine with the foreground IoU metric's ink rule: background = the border's most common colour, ink = ΔE76 > 10 from it"
              >
                Difference (foreground ink)
              </figcaption>
              <div className="eval-figure__frame">
                {overlay.phase === 'done' ? (
                  <img
                    src={overlay.overlay.dataUrl}
                    alt="Difference overlay"
                    width={overlay.overlay.width}
                    height={overlay.overlay.height}
                    data-testid="eval-overlay-image"
                  />
                ) : overlay.phase === 'failed' ? (
                  <span className="field__problem" data-testid="eval-overlay-problem">
                    {overlay.message}
                  </span>
                ) : overlay.phase === 'computing' ? (
                  <span className="muted">Computing…</span>
                ) : (
                  <span className="muted">
                    {result?.failure ? 'No render to compare' : 'Nothing to compare'}
                  </span>
                )}
              </div>
              {overlay.phase === 'done' && (
                <figcaption className="eval-overlay__legend" data-testid="eval-overlay-counts">
                  <table className="eval-overlay__counts">
                    <tbody>
                      {overlayLines(overlay.overlay.counts).map((line) => (
                        <tr key={line.key} data-key={line.key} title={line.meaning}>
                          <td>
                            <span className={`swatch swatch--${line.swatch}`} /> {line.label}
                          </td>
                          <td className="num" data-testid="eval-overlay-pixels">
                            {line.pixels}
                          </td>
                          <td className="num muted">{line.share}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  <span className="muted">
                    Ink pixels; shared ÷ all = foreground IoU{' '}
                    <span className="num" data-testid="eval-overlay-iou">
                      {overlayIou(overlay.overlay.counts).toFixed(3)}
                    </span>
                    {overlay.overlay.resized ? ' (candidate scaled to the reference’s size)' : ''}
                  </span>
                </figcaption>
              )}
            </figure>
          </div>
          <div className="eval-item__figures eval-item__figures--official">
            <Figure
              title="Benchmark image"
              image={benchmarkImage}
              empty="No image"
              testId="eval-item-benchmark"
            />
            <Figure
              title="Candidate (official render, what the judge sees)"
              image={candidateOfficial}
              empty="No official render"
              testId="eval-item-official"
            />
          </div>
          <div className="eval-item__columns">
            <div className="eval-item__code">
              <h3 className="detail__subtitle">Generated code</h3>
              {result?.code != null ? (
                <div className="eval-item__editor">
                  <PythonEditor
                    key={`${runId}:${itemId}`}
                    ref={editor}
                    initialCode={result.code}
                    dark={effectiveTheme === 'dark'}
                    onRun={() => {}}
                    onChange={() => {}}
                    label="Generated code"
                    readOnly
                    testId="eval-item-code"
                  />
                </div>
              ) : (
                <p className="muted">No code was extracted from the answer.</p>
              )}
              {listed.length > 0 && (
                <div className="table-wrap eval-item__elements">
                  <table className="table">
                    <thead>
                      <tr>
                        <th>Element</th>
                        <th>Status</th>
                        <th className="num">Line</th>
                      </tr>
                    </thead>
                    <tbody>
                      {listed.map(({ side, element, status }) => (
                        <tr
                          key={`${side}:${element.id}`}
                          className={
                            selectedIds.has(element.id)
                              ? 'eval-element eval-element--selected'
                              : 'eval-element'
                          }
                          onClick={() => pick(side, element.id)}
                          data-testid="eval-element"
                          data-status={status}
                        >
                          <td>{element.label}</td>
                          <td>
                            <span className={`swatch swatch--${status}`} /> {STATUS_LABEL[status]}
                          </td>
                          <td className="num">{side === 'candidate' ? (element.sourceLine ?? '—') : '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </div>
            <div className="eval-item__side">
              <h3 className="detail__subtitle">Scores</h3>
              <dl className="eval-facts eval-facts--column" data-testid="eval-item-scores">
                {result &&
                  SCORE_COLUMNS.map((c) => {
                    const value = scoreOf(result, c.key);
                    if (value === null && (c.key === 'imageScore' || c.key === 'codeScore')) return null;
                    return (
                      <div key={c.key} data-key={c.key}>
                        <dt title={c.title}>{c.label}</dt>
                        <dd className="num">{formatScore(c.key, value)}</dd>
                      </div>
                    );
                  })}
              </dl>
              {(['imageJudgment', 'codeJudgment'] as const).map((k) => {
                const judgment = result?.[k];
                if (!judgment) return null;
                return (
                  <details key={k} className="eval-judge" open data-testid={`eval-item-${k}`}>
                    <summary>
                      {k === 'imageJudgment' ? 'Image judge' : 'Code judge'}: {judgment.score ?? 'no score'} ·{' '}
                      {judgment.attempts} attempt{judgment.attempts === 1 ? '' : 's'}
                      {judgment.failures > 0 ? `, ${judgment.failures} failed` : ''}
                    </summary>
                    {judgment.error && <p className="field__problem">{judgment.error}</p>}
                    <pre className="eval-judge__reply">{judgment.reply}</pre>
                  </details>
                );
              })}
              <h3 className="detail__subtitle">Stages</h3>
              <table className="table eval-stages" data-testid="eval-item-stages">
                <tbody>
                  {detail.stages.map((s) => (
                    <tr key={s.stage}>
                      <td className="eval-rowlabel">{s.stage}</td>
                      <td className="num">{formatMilliseconds(s.durationMs)}</td>
                      <td className="muted">
                        {s.cached ? 'cached' : ''}
                        {s.attempts > 1 ? ` ${s.attempts} attempts` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {result?.generation && (
                <details className="eval-judge">
                  <summary>Raw answer</summary>
                  <pre className="eval-judge__reply">{result.generation.response}</pre>
                </details>
              )}
              <details className="eval-judge">
                <summary>Reference code</summary>
                <pre className="eval-judge__reply">{detail.reference.code}</pre>
              </details>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
