import { useState } from 'react';
import type { StudyDetail, StudyModel } from '../../../main/api/scaling';
import { useEngine } from '../api/EngineContext';
import { describeError } from '../api/describeError';
import { formatParameters } from '../charts/parameters';
import { Icon } from '../components/Icon';
import { PARAMETER_HINT, parseParameterCount } from '../../../main/api/parameterCount';

const SOURCE_LABEL: Record<StudyModel['parametersSource'], string> = {
  gguf: 'from the GGUF',
  user: 'set by you',
  none: 'unknown',
};

function SizeEditor({
  study,
  role,
  model,
  onSaved,
}: {
  study: StudyDetail;
  role: 'captioner' | 'solver';
  model: StudyModel;
  onSaved: (detail: StudyDetail) => void;
}) {
  const { client } = useEngine();
  const [text, setText] = useState(model.parameters !== null ? formatParameters(model.parameters) : '');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (parameters: number | null) => {
    setBusy(true);
    setProblem(null);
    try {
      onSaved(
        await client.call('scaling.setParameters', { id: study.id, role, label: model.label, parameters }),
      );
    } catch (e) {
      setProblem(describeError(e).message);
    } finally {
      setBusy(false);
    }
  };
  const submit = () => {
    const parameters = parseParameterCount(text);
    if (parameters === null) setProblem(`Give ${PARAMETER_HINT}.`);
    else void save(parameters);
  };
  return (
    <form
      className="scaling-sizes__editor"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <input
        className="input input--number"
        value={text}
        placeholder="e.g. 7B"
        onChange={(e) => setText(e.target.value)}
        aria-label={`Parameters of ${role} ${model.label}`}
        aria-invalid={problem ? true : undefined}
        data-testid="scaling-size-input"
      />
      <button type="submit" className="button button--small" disabled={busy} data-testid="scaling-size-save">
        Set
      </button>
      {model.parametersSource === 'user' && (
        <button
          type="button"
          className="button button--small"
          disabled={busy}
          onClick={() => void save(null)}
          data-testid="scaling-size-clear"
        >
          Clear
        </button>
      )}
      {problem && (
        <span className="field__problem" role="alert" data-testid="scaling-size-problem">
          {problem}
        </span>
      )}
    </form>
  );
}

/**
 * Every model of the study with its size and where the size came from. Sizes the GGUF gives are fixed;
 * the others (endpoints, files that do not say) can be set so the model is placed on the size axis.
 */
export function ModelSizes({
  study,
  onSaved,
}: {
  study: StudyDetail;
  onSaved: (detail: StudyDetail) => void;
}) {
  const rows = [
    ...study.captioners.map((m) => ({ role: 'captioner' as const, model: m })),
    ...study.solvers.map((m) => ({ role: 'solver' as const, model: m })),
  ];
  const missing = rows.filter((r) => r.model.parameters === null).length;
  return (
    <section className="card" aria-label="Model sizes" data-testid="scaling-sizes">
      <header className="card__header">
        <h2 className="card__title">Model sizes</h2>
        <p className="card__subtitle">
          The x axis of the curves. Endpoints report no size: set it here to place them.
          {missing > 0 && (
            <span className="scaling-sizes__missing" data-testid="scaling-sizes-missing">
              {' '}
              <Icon name="warn" /> {missing} model{missing === 1 ? '' : 's'} without a size, not on the
              curves.
            </span>
          )}
        </p>
      </header>
      <div className="table-wrap">
        <table className="table scaling-sizes">
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Model</th>
              <th scope="col">Reached through</th>
              <th scope="col" className="num">
                Parameters
              </th>
              <th scope="col">Source</th>
              <th scope="col">Set the size</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ role, model }) => (
              <tr
                key={`${role}:${model.label}`}
                data-testid="scaling-size-row"
                data-role={role}
                data-label={model.label}
              >
                <td>{role}</td>
                <td>{model.label}</td>
                <td className="muted">
                  {model.spec.kind === 'endpoint' ? `endpoint ${model.spec.endpoint}` : 'local GGUF'}
                </td>
                <td className="num" data-testid="scaling-size-value">
                  {model.parameters !== null ? formatParameters(model.parameters) : '—'}
                </td>
                <td className="muted">{SOURCE_LABEL[model.parametersSource]}</td>
                <td>
                  {model.parametersSource === 'gguf' ? (
                    <span className="muted">fixed</span>
                  ) : (
                    <SizeEditor
                      key={`${model.parameters}`}
                      study={study}
                      role={role}
                      model={model}
                      onSaved={onSaved}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
