import { useEffect, useMemo, useState } from 'react';
import type { RenderOutcome } from '../../../main/api/render';
import { Icon } from '../components/Icon';
import { formatMilliseconds } from '../format/duration';
import { FailurePanel } from './FailurePanel';
import { OutputPanel } from './OutputPanel';
import { RenderImage } from './RenderImage';
import { runShortcut } from './RenderToolbar';
import { statusPresentation } from './renderStatus';
import { buildTraceView } from './traceTree';
import type { TraceNode } from './traceTree';
import { Fact, TraceTree } from './TraceTree';
import type { RenderRun } from './useRenderRun';

interface RenderResultProps {
  run: RenderRun;
  /** "line N" in the error panel: cursor to that line. */
  onFailureLine: (line: number) => void;
  /** A trace node was picked. */
  onTraceNode: (node: TraceNode) => void;
}

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(timer);
  }, []);
  return <span className="num">{formatMilliseconds(now - since)}</span>;
}

/** Everything one render produced: status, timing, image, failure, output and trace. */
export function RenderResult({ run, onFailureLine, onTraceNode }: RenderResultProps) {
  return (
    <section
      className="card playground__result"
      aria-label="Render result"
      aria-busy={run.phase === 'running'}
    >
      <div className="result-header" data-testid="render-result-header">
        <ResultHeader run={run} />
      </div>
      <div className="result-body" data-testid="render-result">
        <ResultBody run={run} onFailureLine={onFailureLine} onTraceNode={onTraceNode} />
      </div>
    </section>
  );
}

function ResultHeader({ run }: { run: RenderRun }) {
  switch (run.phase) {
    case 'idle':
      return <span className="muted">Not rendered yet</span>;
    case 'running':
      return (
        <>
          <span className="badge badge--running" data-testid="render-status" data-status="running">
            rendering
          </span>
          <Elapsed since={run.startedAt} />
        </>
      );
    case 'stopped':
      return (
        <>
          <span className="badge badge--cancelled" data-testid="render-status" data-status="stopped">
            stopped
          </span>
          <span className="num muted">after {formatMilliseconds(run.afterMs)}</span>
        </>
      );
    case 'failed':
      return (
        <span className="badge badge--failed" data-testid="render-status" data-status="call-failed">
          could not render
        </span>
      );
    case 'done': {
      const { outcome } = run;
      const presentation = statusPresentation[outcome.status];
      return (
        <>
          <span
            className={`badge badge--render-${presentation.tone}`}
            title={presentation.meaning}
            data-testid="render-status"
            data-status={outcome.status}
          >
            {presentation.label}
          </span>
          <span className="num" title="Render time in the sandbox" data-testid="render-duration">
            {formatMilliseconds(outcome.durationMs)}
          </span>
          {outcome.cached && (
            <span className="tag" title="Served from the render cache" data-testid="render-cached">
              cached
            </span>
          )}
          {outcome.partial && <span className="tag tag--warn">partial</span>}
          {!outcome.failure && <span className="result-header__meaning muted">{presentation.meaning}</span>}
        </>
      );
    }
  }
}

function ResultBody({ run, onFailureLine, onTraceNode }: RenderResultProps) {
  switch (run.phase) {
    case 'idle':
      return (
        <p className="result-note muted">
          Press <kbd>{runShortcut}</kbd> or Render to run the code in the sandbox. The image, any failure with
          its line, the output and the execution trace appear here.
        </p>
      );
    case 'running':
      return (
        <p className="result-note muted">
          <Icon name="refresh" className="spin" /> Rendering in the sandbox… Stop cancels the job.
        </p>
      );
    case 'stopped':
      return <p className="result-note muted">Stopped before the render finished; nothing was kept.</p>;
    case 'failed':
      return (
        <section className="failure failure--code" role="alert" data-testid="render-call-error">
          <p className="failure__headline">
            <Icon name="error" />
            <span>
              {run.error.code && <strong className="failure__type">{run.error.code}: </strong>}
              {run.error.message}
            </span>
          </p>
          {run.error.hint && <p className="failure__detail">{run.error.hint}</p>}
        </section>
      );
    case 'done':
      return (
        <Outcome
          outcome={run.outcome}
          code={run.code}
          onFailureLine={onFailureLine}
          onTraceNode={onTraceNode}
        />
      );
  }
}

interface OutcomeProps {
  outcome: RenderOutcome;
  code: string;
  onFailureLine: (line: number) => void;
  onTraceNode: (node: TraceNode) => void;
}

function Outcome({ outcome, code, onFailureLine, onTraceNode }: OutcomeProps) {
  const trace = useMemo(() => buildTraceView(outcome.trace), [outcome.trace]);
  const image = outcome.image;
  return (
    <>
      <FailurePanel outcome={outcome} code={code} onLine={onFailureLine} />
      {image?.dataUrl && <RenderImage dataUrl={image.dataUrl} width={image.width} height={image.height} />}
      <OutputPanel outcome={outcome} />
      <section className="trace" aria-labelledby="trace-title">
        <div className="trace__header">
          <h2 className="trace__title" id="trace-title">
            Trace
          </h2>
          <span className="trace__summary" data-testid="trace-summary">
            {trace.summary.map((fact, i) => (
              <Fact key={i} fact={fact} />
            ))}
          </span>
        </div>
        {trace.roots.length > 0 ? (
          <TraceTree key={outcome.key} roots={trace.roots} onPick={onTraceNode} />
        ) : (
          <p className="result-note muted" data-testid="trace-empty">
            {outcome.trace === null
              ? 'No trace: the figure did not get far enough to be traced.'
              : 'The trace holds no figures.'}
          </p>
        )}
      </section>
    </>
  );
}
