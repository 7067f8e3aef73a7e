import { formatParameters } from '../charts/parameters';
import type { ModelOption } from './modelOptions';
import { setPickedParameters, togglePicked } from './studyForm';
import type { PickedModel, StudyFormProblems } from './studyForm';

interface ModelPickerProps {
  role: 'captioners' | 'solvers';
  legend: string;
  hint: string;
  options: readonly ModelOption[];
  picked: readonly PickedModel[];
  onChange: (picked: PickedModel[]) => void;
  problems: StudyFormProblems;
  /** Shown when there is nothing to pick. */
  empty: string;
}

/**
 * A multi-select of models as a checklist: each row shows where its size comes from (the GGUF), or, once
 * ticked, a field to type it (endpoints and files that do not say), so the model can be placed on the x axis.
 */
export function ModelPicker({
  role,
  legend,
  hint,
  options,
  picked,
  onChange,
  problems,
  empty,
}: ModelPickerProps) {
  const problem = problems[role];
  return (
    <fieldset
      className="field scaling-picker"
      data-testid={`scaling-${role}`}
      aria-describedby={`scaling-${role}-hint`}
    >
      <legend className="field__label">{legend}</legend>
      <p className="muted scaling-form__hint" id={`scaling-${role}-hint`}>
        {hint}
      </p>
      {options.length === 0 && <p className="card__empty scaling-picker__empty">{empty}</p>}
      <ul className="scaling-picker__list" hidden={options.length === 0}>
        {options.map((o) => {
          const pick = picked.find((p) => p.key === o.key);
          const rowProblem = problems[`${role}:${o.key}`];
          const inputId = `scaling-${role}-${o.key}`;
          return (
            <li
              key={o.key}
              className="scaling-picker__row"
              data-testid="scaling-model-option"
              data-key={o.key}
            >
              <label className="scaling-picker__name">
                <input
                  type="checkbox"
                  checked={pick !== undefined}
                  onChange={(e) => onChange(togglePicked(picked, o.key, e.target.checked))}
                  data-testid="scaling-model-check"
                />
                <span>
                  <span className="scaling-picker__label">{o.label}</span>
                  <span className="muted scaling-picker__detail">{o.detail || o.source}</span>
                </span>
              </label>
              <span className="scaling-picker__size">
                {o.parameters !== null ? (
                  <span className="num" title="Parameter count from the GGUF metadata">
                    {formatParameters(o.parameters)}
                  </span>
                ) : pick ? (
                  <input
                    id={inputId}
                    className="input input--number"
                    value={pick.parametersText}
                    placeholder="size, e.g. 7B"
                    aria-label={`Parameters of ${o.label}`}
                    aria-invalid={rowProblem ? true : undefined}
                    onChange={(e) => onChange(setPickedParameters(picked, o.key, e.target.value))}
                    data-testid="scaling-model-parameters"
                  />
                ) : (
                  <span className="muted" title="Tick the model to give its size">
                    size unknown
                  </span>
                )}
              </span>
              {rowProblem && (
                <span className="field__problem scaling-picker__problem" data-testid="scaling-problem-model">
                  {rowProblem}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {problem && (
        <span className="field__problem" role="alert" data-testid={`scaling-problem-${role}`}>
          {problem}
        </span>
      )}
    </fieldset>
  );
}
