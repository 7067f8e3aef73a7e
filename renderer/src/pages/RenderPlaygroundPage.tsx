import { useCallback, useEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useEngine } from '../api/EngineContext';
import { Icon } from '../components/Icon';
import { Page } from '../components/Page';
import { PLAYGROUND_DRAFT_KEY } from '../playground/draft';
import { exampleFigure } from '../playground/exampleFigure';
import { PythonEditor } from '../playground/PythonEditor';
import type { PythonEditorHandle } from '../playground/PythonEditor';
import { defaultRenderForm, readRenderForm } from '../playground/renderForm';
import type { RenderFormValues } from '../playground/renderForm';
import { RenderResult } from '../playground/RenderResult';
import { RenderToolbar } from '../playground/RenderToolbar';
import type { TraceNode } from '../playground/traceTree';
import { useRenderRun } from '../playground/useRenderRun';
import { routeHref } from '../routing/routes';
import { useSettings } from '../settings/SettingsProvider';
import { useRenderHealth } from '../system/RenderHealthProvider';

const DRAFT_KEY = PLAYGROUND_DRAFT_KEY;

function storedDraft(): string {
  return window.localStorage.getItem(DRAFT_KEY) ?? exampleFigure;
}

/** Matplotlib code in, sandboxed render out: image, failure class, output and the execution trace. */
export function RenderPlaygroundPage() {
  const { client } = useEngine();
  const { effectiveTheme } = useSettings();
  const health = useRenderHealth();
  const editor = useRef<PythonEditorHandle>(null);
  const [initialCode] = useState(storedDraft);
  const [form, setForm] = useState<RenderFormValues>(defaultRenderForm);
  const { run, start, stop } = useRenderRun();
  const reading = readRenderForm(form);
  const running = run.phase === 'running';

  // Opening the playground is the moment to warm the Python workers, so the first render is quick.
  useEffect(() => {
    client.call('render.health', { start: true }).catch(() => undefined);
  }, [client]);

  const render = useCallback(() => {
    if (running || reading.options === null) return;
    editor.current?.clearMark();
    start(editor.current?.getCode() ?? '', reading.options, reading.useCache);
  }, [running, reading.options, reading.useCache, start]);

  // A failure's line is marked as soon as the outcome arrives; the cursor stays where the user left it.
  useEffect(() => {
    const line = run.phase === 'done' ? run.outcome.failure?.line : null;
    if (line) editor.current?.revealLine(line, 'error', false);
  }, [run]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.defaultPrevented) {
      event.preventDefault();
      render();
    }
  };

  const saveDraft = useCallback((code: string) => window.localStorage.setItem(DRAFT_KEY, code), []);
  const failureLine = useCallback((line: number) => editor.current?.revealLine(line, 'error', true), []);
  const traceNode = useCallback((node: TraceNode) => {
    if (node.sourceLine !== null) editor.current?.revealLine(node.sourceLine, 'source', false);
  }, []);
  const reset = () => {
    editor.current?.setCode(exampleFigure);
    window.localStorage.removeItem(DRAFT_KEY);
  };

  return (
    <Page
      title="Render playground"
      description="Run matplotlib code in the sandboxed renderer: its image, failure class, output and execution trace."
      actions={
        <a className="button button--ghost" href={routeHref('datasets')} data-testid="playground-back">
          <Icon name="back" />
          Datasets
        </a>
      }
      fill
    >
      {health?.sandboxWarning && (
        <p className="banner banner--warn" role="alert" data-testid="playground-sandbox-warning">
          <Icon name="warn" />
          <span>
            <strong>Weak sandbox.</strong> {health.sandboxWarning}
          </span>
        </p>
      )}
      {health?.state === 'error' && (
        <p className="banner banner--error" role="alert" data-testid="playground-renderer-error">
          <Icon name="error" />
          <span>
            <strong>The renderer could not start.</strong> {health.error}
          </span>
        </p>
      )}
      <div className="playground" onKeyDown={onKeyDown}>
        <RenderToolbar
          values={form}
          onChange={(patch) => setForm((f) => ({ ...f, ...patch }))}
          running={running}
          problem={reading.problem}
          onRender={render}
          onStop={stop}
          onReset={reset}
        />
        <section className="card playground__editor" aria-label="Code">
          <PythonEditor
            ref={editor}
            initialCode={initialCode}
            dark={effectiveTheme === 'dark'}
            onRun={render}
            onChange={saveDraft}
            label="Python code to render"
          />
        </section>
        <RenderResult run={run} onFailureLine={failureLine} onTraceNode={traceNode} />
      </div>
    </Page>
  );
}
