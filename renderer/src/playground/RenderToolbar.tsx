import { useId } from 'react';
import type { FormEvent } from 'react';
import type { RenderMode } from '../../../main/api/render';
import { Icon } from '../components/Icon';
import { renderFormLimits } from './renderForm';
import type { RenderFormValues } from './renderForm';

interface RenderToolbarProps {
  values: RenderFormValues;
  onChange: (patch: Partial<RenderFormValues>) => void;
  running: boolean;
  /** Why Render is not possible now (an invalid field), or null. */
  problem: string | null;
  onRender: () => void;
  onStop: () => void;
  onReset: () => void;
}

interface NumberFieldProps {
  label: string;
  unit?: string;
  value: string;
  limits: { min: number; max: number };
  step?: number;
  disabled?: boolean;
  title?: string;
  onChange: (value: string) => void;
  testId: string;
}

function NumberField({
  label,
  unit,
  value,
  limits,
  step,
  disabled,
  title,
  onChange,
  testId,
}: NumberFieldProps) {
  return (
    <label className="toolbar-field" title={title}>
      <span className="toolbar-field__label">{label}</span>
      <input
        className="input input--compact"
        type="number"
        inputMode={step && step < 1 ? 'decimal' : 'numeric'}
        min={limits.min}
        max={limits.max}
        step={step ?? 1}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
      />
      {unit && <span className="toolbar-field__unit">{unit}</span>}
    </label>
  );
}

const isMac = /Mac|iPhone|iPad/.test(navigator.platform);
export const runShortcut = isMac ? '⌘↵' : 'Ctrl+Enter';

/** The render options in one dense row, with Render (Ctrl/Cmd+Enter) and Stop. */
export function RenderToolbar({
  values,
  onChange,
  running,
  problem,
  onRender,
  onStop,
  onReset,
}: RenderToolbarProps) {
  const id = useId();
  const official = values.mode === 'official';
  const sizeTitle = official
    ? 'Official mode keeps the figure size the code sets and saves at 300 dpi, by the STEM2Code protocol.'
    : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onRender();
  };
  return (
    <form
      className="playground__toolbar"
      onSubmit={submit}
      aria-label="Render options"
      data-testid="render-toolbar"
    >
      <label className="toolbar-field" htmlFor={`${id}-mode`}>
        <span className="toolbar-field__label">Mode</span>
        <select
          id={`${id}-mode`}
          className="input input--compact"
          value={values.mode}
          onChange={(e) => onChange({ mode: e.target.value as RenderMode })}
          title="canonical: exact size and dpi below; official: the STEM2Code protocol (figure size from the code, 300 dpi)"
          data-testid="render-mode"
        >
          <option value="canonical">canonical</option>
          <option value="official">official</option>
        </select>
      </label>
      <NumberField
        label="W"
        value={values.width}
        limits={renderFormLimits.width}
        disabled={official}
        title={sizeTitle ?? 'Width of the PNG in pixels'}
        onChange={(width) => onChange({ width })}
        testId="render-width"
      />
      <NumberField
        label="H"
        unit="px"
        value={values.height}
        limits={renderFormLimits.height}
        disabled={official}
        title={sizeTitle ?? 'Height of the PNG in pixels'}
        onChange={(height) => onChange({ height })}
        testId="render-height"
      />
      <NumberField
        label="dpi"
        value={values.dpi}
        limits={renderFormLimits.dpi}
        disabled={official}
        title={sizeTitle ?? 'Dots per inch: sets how large text and lines come out at this size'}
        onChange={(dpi) => onChange({ dpi })}
        testId="render-dpi"
      />
      <NumberField
        label="Timeout"
        unit="s"
        value={values.timeoutSeconds}
        limits={renderFormLimits.timeoutSeconds}
        step={0.1}
        title="Wall-clock limit for the render"
        onChange={(timeoutSeconds) => onChange({ timeoutSeconds })}
        testId="render-timeout"
      />
      <label
        className="toolbar-field toolbar-field--check"
        title="Reuse the result of an identical earlier render (same code, options and library versions)"
      >
        <input
          type="checkbox"
          checked={values.useCache}
          onChange={(e) => onChange({ useCache: e.target.checked })}
          data-testid="render-use-cache"
        />
        <span className="toolbar-field__label">Cache</span>
      </label>
      {problem && (
        <span className="toolbar-problem" role="alert" data-testid="render-options-problem">
          {problem}
        </span>
      )}
      <span className="playground__toolbar-spacer" />
      <button
        type="button"
        className="button button--ghost button--small"
        onClick={onReset}
        disabled={running}
        title="Replace the code with the example figure"
        data-testid="render-reset"
      >
        <Icon name="refresh" />
        Example
      </button>
      {/* Distinct keys: reusing one element would let the click on Stop submit the form once it is Render. */}
      {running ? (
        <button
          key="stop"
          type="button"
          className="button button--danger"
          onClick={onStop}
          title="Stop the render"
          data-testid="render-stop"
        >
          <Icon name="stop" />
          Stop
        </button>
      ) : (
        <button
          key="render"
          type="submit"
          className="button button--primary"
          disabled={problem !== null}
          title={`Render (${runShortcut})`}
          aria-keyshortcuts="Control+Enter Meta+Enter"
          data-testid="render-run"
        >
          <Icon name="play" />
          Render
          <kbd className="button__kbd">{runShortcut}</kbd>
        </button>
      )}
    </form>
  );
}
