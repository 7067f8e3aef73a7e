import type { RenderOutcome } from '../../../main/api/render';

interface StreamProps {
  name: 'stdout' | 'stderr';
  text: string;
  truncated: boolean;
  open: boolean;
}

function lineCount(text: string): number {
  return text === '' ? 0 : text.replace(/\n$/, '').split('\n').length;
}

function Stream({ name, text, truncated, open }: StreamProps) {
  const lines = lineCount(text);
  return (
    <details className="output" open={open} data-testid={`render-${name}`} data-truncated={truncated}>
      <summary className="output__summary">
        <span className="output__name">{name}</span>
        <span className="muted num">
          {lines} {lines === 1 ? 'line' : 'lines'}
        </span>
        {truncated && (
          <span className="tag tag--warn" title="The renderer kept only the start of this stream.">
            truncated
          </span>
        )}
      </summary>
      <pre className="output__text">{text}</pre>
    </details>
  );
}

/** The job's stdout and stderr, each collapsible; empty streams are left out. */
export function OutputPanel({ outcome }: { outcome: RenderOutcome }) {
  const failed = outcome.status !== 'ok';
  if (outcome.stdout === '' && outcome.stderr === '') {
    return (
      <p className="result-note muted" data-testid="render-no-output">
        No output on stdout or stderr.
      </p>
    );
  }
  return (
    <div className="outputs">
      {outcome.stdout !== '' && (
        <Stream name="stdout" text={outcome.stdout} truncated={outcome.stdoutTruncated} open />
      )}
      {outcome.stderr !== '' && (
        <Stream name="stderr" text={outcome.stderr} truncated={outcome.stderrTruncated} open={failed} />
      )}
    </div>
  );
}
