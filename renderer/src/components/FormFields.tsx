import type { ErrorDescription } from '../api/describeError';
import { Icon } from './Icon';

/** A field's problem under it; nothing when there is none. */
export function FieldProblem({ text, testId }: { text: string | undefined; testId?: string }) {
  if (!text) return null;
  return (
    <span className="field__problem" data-testid={testId}>
      {text}
    </span>
  );
}

/** A labelled text input for a number, kept as typed so the form can say what is wrong with it. */
export function NumberField({
  label,
  value,
  onChange,
  problem,
  testId,
  problemTestId,
  placeholder,
  title,
  inputMode = 'numeric',
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  problem: string | undefined;
  testId: string;
  problemTestId?: string;
  placeholder?: string;
  title?: string;
  /** 'decimal' where the number may have a fraction (a temperature). */
  inputMode?: 'numeric' | 'decimal';
}) {
  return (
    <label className="field" title={title}>
      <span className="field__label">{label}</span>
      <input
        className="input input--number"
        inputMode={inputMode}
        value={value}
        placeholder={placeholder}
        aria-invalid={problem ? true : undefined}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
      />
      <FieldProblem text={problem} testId={problemTestId} />
    </label>
  );
}

/** The engine's refusal of a start call, shown as it said it: code, message and what to do next. */
export function RefusalBanner({
  error,
  what,
  className,
  testId,
}: {
  error: ErrorDescription;
  /** Ends "The engine refused …": "the run", "the study". */
  what: string;
  className: string;
  testId: string;
}) {
  return (
    <p className={`banner banner--error ${className}`} role="alert" data-testid={testId}>
      <Icon name="error" />
      <span>
        <strong>
          The engine refused {what}
          {error.code ? ` (${error.code})` : ''}.
        </strong>{' '}
        {error.message}
        {error.hint && <> {error.hint}</>}
      </span>
    </p>
  );
}
