import type { RenderOutcome } from '../../../main/api/render';
import { Icon } from '../components/Icon';
import { describeSignal, statusPresentation } from './renderStatus';

interface FailurePanelProps {
  outcome: RenderOutcome;
  /** The code that was rendered, for the failing line's text. */
  code: string;
  onLine: (line: number) => void;
}

function LineButton({
  line,
  onLine,
  testId,
}: {
  line: number;
  onLine: (line: number) => void;
  testId: string;
}) {
  return (
    <button
      type="button"
      className="line-link"
      onClick={() => onLine(line)}
      title={`Put the cursor on line ${line}`}
      data-testid={testId}
    >
      line {line}
    </button>
  );
}

/** What failed, where in the user's code, and what that means; for partial renders, that the image is partial. */
export function FailurePanel({ outcome, code, onLine }: FailurePanelProps) {
  const { failure, status, partial } = outcome;
  if (!failure && !partial) return null;
  const tone = statusPresentation[status].tone;
  const line = failure?.line ?? null;
  const frame = failure?.frame ?? null;
  const excerpt = line !== null ? code.split('\n')[line - 1] : undefined;
  const showFrame = frame !== null && (frame.line !== line || frame.function !== '<module>');
  return (
    <section
      className={`failure failure--${tone}`}
      role="alert"
      data-testid="render-failure"
      data-status={status}
    >
      {failure && (
        <>
          <p className="failure__headline">
            <Icon name={tone === 'code' ? 'error' : 'warn'} />
            <span>
              {failure.type && (
                <strong className="failure__type" data-testid="render-failure-type">
                  {failure.type}
                </strong>
              )}
              {failure.type && failure.message ? ': ' : ''}
              <span className="failure__message" data-testid="render-failure-message">
                {failure.message}
              </span>
            </span>
          </p>
          {(line !== null || showFrame) && (
            <p className="failure__where">
              {line !== null && (
                <>
                  at <LineButton line={line} onLine={onLine} testId="render-failure-line" />
                </>
              )}
              {showFrame && (
                <>
                  {line !== null ? ', ' : ''}innermost in <code>{frame.function}</code>{' '}
                  <LineButton line={frame.line} onLine={onLine} testId="render-failure-frame" />
                </>
              )}
            </p>
          )}
          {excerpt !== undefined && line !== null && (
            <pre className="failure__excerpt" data-testid="render-failure-excerpt">
              <span className="failure__excerpt-line">{line}</span>
              {excerpt}
            </pre>
          )}
          {failure.module && (
            <p className="failure__detail" data-testid="render-failure-module">
              Module that could not be imported: <code>{failure.module}</code>
            </p>
          )}
          {failure.signal !== null && (
            <p className="failure__detail" data-testid="render-failure-signal">
              Stopped by {describeSignal(failure.signal)}.
            </p>
          )}
        </>
      )}
      {partial && (
        <p className="failure__detail failure__partial" data-testid="render-partial">
          Partial render: the image shows what the code had drawn before it stopped.
        </p>
      )}
    </section>
  );
}
