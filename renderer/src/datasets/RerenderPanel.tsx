import type { MediaImage, Verification } from '../../../main/api/datasets';
import type { RenderOutcome } from '../../../main/api/render';
import type { ErrorDescription } from '../api/describeError';
import { Icon } from '../components/Icon';
import { statusPresentation } from '../playground/renderStatus';
import { buildTraceView } from '../playground/traceTree';
import type { TraceNode } from '../playground/traceTree';
import { Fact, TraceTree } from '../playground/TraceTree';
import { VerificationBadge } from './VerificationBadge';

export interface RerenderResult {
  render: RenderOutcome;
  /** The render as a data URL (inline in the outcome, or fetched by its sha256), null when none. */
  renderImage: MediaImage | null;
  diff: MediaImage | null;
  verification: Verification;
}

export type RerenderState =
  | { phase: 'idle' }
  | { phase: 'running' }
  | { phase: 'done'; result: RerenderResult }
  | { phase: 'failed'; error: ErrorDescription };

interface RerenderPanelProps {
  state: RerenderState;
  reference: MediaImage | null;
  onTraceNode: (node: TraceNode) => void;
  onFailureLine: (line: number) => void;
}

function formatScore(value: number | null): string {
  return value === null ? '—' : value.toFixed(3);
}

function Pane({
  title,
  image,
  empty,
  testId,
}: {
  title: string;
  image: MediaImage | null;
  empty: string;
  testId: string;
}) {
  return (
    <figure className="compare__pane" data-testid={testId}>
      <figcaption className="compare__title">{title}</figcaption>
      <div className="compare__frame">
        {image ? (
          <img src={image.dataUrl} alt={title} width={image.width} height={image.height} />
        ) : (
          <span className="muted">{empty}</span>
        )}
      </div>
    </figure>
  );
}

/** Re-render's answer: verdict and scores, reference | render | difference, the failure, the trace. */
export function RerenderPanel({ state, reference, onTraceNode, onFailureLine }: RerenderPanelProps) {
  if (state.phase === 'idle') {
    return (
      <p className="muted rerender__idle">
        Re-render runs the item's code in the sandbox at the reference's size and compares the two (SSIM and
        foreground IoU); the verdict is stored as the item's verification.
      </p>
    );
  }
  if (state.phase === 'running') {
    return (
      <p className="muted rerender__idle" data-testid="rerender-running">
        <Icon name="refresh" className="spin" /> Rendering in the sandbox…
      </p>
    );
  }
  if (state.phase === 'failed') {
    return (
      <p className="banner banner--error" role="alert" data-testid="rerender-error">
        <Icon name="error" />
        <span>
          <strong>Could not re-render.</strong> {state.error.message}
          {state.error.hint && <> {state.error.hint}</>}
        </span>
      </p>
    );
  }
  const { render, renderImage, diff, verification } = state.result;
  const presentation = statusPresentation[render.status];
  const trace = buildTraceView(render.trace);
  return (
    <div className="rerender" data-testid="rerender-result">
      <div className="rerender__verdict">
        <span
          className={`badge badge--render-${presentation.tone}`}
          title={presentation.meaning}
          data-testid="rerender-status"
          data-status={render.status}
        >
          {presentation.label}
        </span>
        <VerificationBadge verification={verification} />
        <span className="rerender__score">
          SSIM{' '}
          <strong className="num" data-testid="rerender-ssim">
            {formatScore(verification.ssim)}
          </strong>
        </span>
        <span className="rerender__score">
          IoU{' '}
          <strong className="num" data-testid="rerender-iou">
            {formatScore(verification.iou)}
          </strong>
        </span>
      </div>
      {render.failure && (
        <p className="banner banner--error" data-testid="rerender-failure">
          <Icon name="error" />
          <span>
            {render.failure.type && <strong>{render.failure.type}: </strong>}
            {render.failure.message}
            {render.failure.line !== null && (
              <>
                {' '}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => onFailureLine(render.failure!.line!)}
                >
                  line {render.failure.line}
                </button>
              </>
            )}
          </span>
        </p>
      )}
      <div className="compare">
        <Pane title="Reference" image={reference} empty="No reference image" testId="compare-reference" />
        <Pane title="Render" image={renderImage} empty="No image rendered" testId="compare-render" />
        <Pane title="Difference" image={diff} empty="Nothing to compare" testId="compare-diff" />
      </div>
      {diff && (
        <p className="compare__legend muted">
          <span className="swatch swatch--ref" /> only in the reference{' '}
          <span className="swatch swatch--render" /> only in the render{' '}
          <span className="swatch swatch--both" /> in both
        </p>
      )}
      {trace.roots.length > 0 && (
        <section className="rerender__trace" aria-label="Execution trace">
          <h3 className="detail__subtitle">Trace</h3>
          {trace.summary.length > 0 && (
            <p className="rerender__trace-summary">
              {trace.summary.map((fact, i) => (
                <Fact key={i} fact={fact} />
              ))}
            </p>
          )}
          <TraceTree roots={trace.roots} onPick={onTraceNode} />
        </section>
      )}
    </div>
  );
}
