import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { ConnectionTest, EndpointView } from '../../../main/api/endpoints';
import { Icon } from '../components/Icon';
import { formatMilliseconds } from '../format/duration';
import { emptyEndpointForm, endpointFormFrom, endpointFormLimits, readEndpointForm } from './endpointForm';
import type { EndpointFormValues } from './endpointForm';
import type { Endpoints } from './useEndpoints';

type TestState = { phase: 'testing' } | { phase: 'done'; result: ConnectionTest };

function ConnectionResult({ state, testId }: { state: TestState | undefined; testId: string }) {
  if (!state) return null;
  if (state.phase === 'testing')
    return (
      <p className="connection-test muted" data-testid={testId} data-ok="pending">
        Testing the connection…
      </p>
    );
  const { result } = state;
  return (
    <div
      className={result.ok ? 'connection-test connection-test--ok' : 'connection-test connection-test--error'}
      role="status"
      data-testid={testId}
      data-ok={String(result.ok)}
    >
      <Icon name={result.ok ? 'ok' : 'error'} />
      <div>
        <div data-testid={`${testId}-message`}>{result.message}</div>
        <div className="cell-sub">
          <span data-testid={`${testId}-latency`}>latency {formatMilliseconds(result.latencyMs)}</span>
          {result.models.length > 0 && (
            <span data-testid={`${testId}-models`}> · serves {result.models.join(', ')}</span>
          )}
        </div>
      </div>
    </div>
  );
}

/** OpenAI-compatible servers (vLLM, SGLang, llama-server, LM Studio): list, add/edit, remove, test. */
export function EndpointsCard({ endpoints: store }: { endpoints: Endpoints }) {
  const id = useId();
  const { endpoints, loaded, remove, test } = store;
  /** The endpoint being edited (its name), '' for a new one, null when the editor is closed. */
  const [editing, setEditing] = useState<string | null>(null);
  const [tests, setTests] = useState<ReadonlyMap<string, TestState>>(() => new Map());

  const runTest = async (name: string) => {
    setTests((all) => new Map(all).set(name, { phase: 'testing' }));
    const result = await test({ name });
    setTests((all) => new Map(all).set(name, { phase: 'done', result }));
  };
  const edited = editing ? endpoints.find((e) => e.name === editing) : undefined;

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="endpoints">
      <div className="card__header card__header--row">
        <div>
          <h2 className="card__title" id={`${id}-title`}>
            Endpoints
          </h2>
          <p className="card__subtitle">
            OpenAI-compatible servers your lab runs. The engine talks only to the servers listed here; API
            keys stay in the engine's settings.
          </p>
        </div>
        <button
          type="button"
          className="button"
          onClick={() => setEditing('')}
          disabled={editing === ''}
          data-testid="endpoint-new"
        >
          <Icon name="plus" />
          Add endpoint
        </button>
      </div>
      {editing !== null && (
        <EndpointEditor
          key={editing}
          endpoint={edited}
          otherNames={endpoints.map((e) => e.name).filter((n) => n !== editing)}
          store={store}
          onClose={() => setEditing(null)}
        />
      )}
      {!loaded ? (
        <p className="card__empty">Reading the endpoints…</p>
      ) : endpoints.length === 0 ? (
        <p className="card__empty" data-testid="endpoints-empty">
          No endpoints. Add one to run evaluations on a vLLM, SGLang or llama-server machine.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table endpoints-table" data-testid="endpoints-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Base URL</th>
                <th scope="col">Model</th>
                <th scope="col">API key</th>
                <th scope="col" className="num">
                  Concurrency
                </th>
                <th scope="col" className="num">
                  Timeout
                </th>
                <th scope="col" className="num">
                  Retries
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((endpoint) => (
                <EndpointRow
                  key={endpoint.name}
                  endpoint={endpoint}
                  test={tests.get(endpoint.name)}
                  onTest={() => void runTest(endpoint.name)}
                  onEdit={() => setEditing(endpoint.name)}
                  onRemove={() => void remove(endpoint.name)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

interface EndpointRowProps {
  endpoint: EndpointView;
  test: TestState | undefined;
  onTest: () => void;
  onEdit: () => void;
  onRemove: () => void;
}

function EndpointRow({ endpoint, test, onTest, onEdit, onRemove }: EndpointRowProps) {
  return (
    <>
      <tr data-testid="endpoint-row" data-name={endpoint.name}>
        <td className="cell-title">{endpoint.name}</td>
        <td className="mono endpoints-table__url" title={endpoint.baseUrl}>
          {endpoint.baseUrl}
        </td>
        <td className="mono">{endpoint.model}</td>
        <td>
          {endpoint.hasApiKey ? (
            <span className="tag" data-testid="endpoint-key">
              set
            </span>
          ) : (
            <span className="muted" data-testid="endpoint-key">
              none
            </span>
          )}
        </td>
        <td className="num">{endpoint.maxConcurrency}</td>
        <td className="num">{endpoint.timeoutMs / 1000} s</td>
        <td className="num">{endpoint.retries}</td>
        <td className="model-files__actions">
          <div className="button-group">
            <button
              type="button"
              className="button button--small"
              onClick={onTest}
              disabled={test?.phase === 'testing'}
              data-testid="endpoint-test"
            >
              <Icon name="plug" />
              Test connection
            </button>
            <button
              type="button"
              className="button button--small"
              onClick={onEdit}
              data-testid="endpoint-edit"
            >
              Edit
            </button>
            <button
              type="button"
              className="button button--small button--ghost button--danger"
              onClick={onRemove}
              data-testid="endpoint-remove"
            >
              Remove
            </button>
          </div>
        </td>
      </tr>
      {test && (
        <tr className="endpoints-table__test">
          <td colSpan={8}>
            <ConnectionResult state={test} testId="endpoint-test-result" />
          </td>
        </tr>
      )}
    </>
  );
}

interface EndpointEditorProps {
  /** The stored endpoint being edited, or undefined for a new one. */
  endpoint: EndpointView | undefined;
  otherNames: readonly string[];
  store: Endpoints;
  onClose: () => void;
}

function EndpointEditor({ endpoint, otherNames, store, onClose }: EndpointEditorProps) {
  const [values, setValues] = useState<EndpointFormValues>(() =>
    endpoint ? endpointFormFrom(endpoint) : emptyEndpointForm,
  );
  const [saving, setSaving] = useState(false);
  const [testState, setTestState] = useState<TestState | undefined>();
  const change = (patch: Partial<EndpointFormValues>) => setValues((v) => ({ ...v, ...patch }));
  const reading = readEndpointForm(values, otherNames);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reading.input) return;
    setSaving(true);
    const saved = await store.save(reading.input);
    setSaving(false);
    if (saved) onClose();
  };
  const testUnsaved = async () => {
    if (!reading.input) return;
    setTestState({ phase: 'testing' });
    // An empty key field tests with the stored key, as saving would keep it.
    setTestState({ phase: 'done', result: await store.test(reading.input) });
  };

  const field = (label: string, key: keyof EndpointFormValues, props: Record<string, unknown> = {}) => (
    <label className="field">
      <span className="field__label">{label}</span>
      <input
        className="input"
        value={values[key] as string}
        onChange={(e) => change({ [key]: e.target.value })}
        data-testid={`endpoint-${key}`}
        {...props}
      />
    </label>
  );

  return (
    <form noValidate className="endpoint-editor" onSubmit={submit} data-testid="endpoint-editor">
      <div className="endpoint-editor__grid">
        {field('Name', 'name', {
          readOnly: endpoint !== undefined,
          placeholder: 'lab-vllm',
          maxLength: endpointFormLimits.name.max,
        })}
        {field('Base URL', 'baseUrl', { placeholder: 'http://gpu-server:8000/v1', spellCheck: false })}
        {field('Model name (as the server lists it)', 'model', {
          placeholder: 'Qwen/Qwen2.5-VL-7B-Instruct',
          spellCheck: false,
        })}
        <label className="field">
          <span className="field__label">
            API key{' '}
            {endpoint?.hasApiKey && (
              <span className="tag" data-testid="endpoint-key-stored">
                set
              </span>
            )}
          </span>
          <input
            className="input"
            type="password"
            autoComplete="off"
            value={values.apiKey}
            onChange={(e) => change({ apiKey: e.target.value })}
            placeholder={endpoint?.hasApiKey ? 'Stored — type to replace' : 'None (optional)'}
            disabled={values.removeApiKey}
            data-testid="endpoint-apiKey"
          />
          {endpoint?.hasApiKey && (
            <label className="checkbox">
              <input
                type="checkbox"
                checked={values.removeApiKey}
                onChange={(e) => change({ removeApiKey: e.target.checked, apiKey: '' })}
              />
              Remove the stored key
            </label>
          )}
        </label>
        <div className="endpoint-editor__numbers">
          {field('Max concurrency', 'maxConcurrency', {
            type: 'number',
            min: 1,
            max: 256,
            className: 'input input--number',
          })}
          {field('Timeout (s)', 'timeoutSeconds', {
            type: 'number',
            min: 1,
            max: 3600,
            className: 'input input--number',
          })}
          {field('Retries', 'retries', { type: 'number', min: 0, max: 10, className: 'input input--number' })}
        </div>
      </div>
      {reading.problem && (
        <p className="form-error" role="alert" data-testid="endpoint-problem">
          {reading.problem}
        </p>
      )}
      <ConnectionResult state={testState} testId="endpoint-editor-test" />
      <div className="form-actions">
        <button
          type="submit"
          className="button button--primary"
          disabled={saving || reading.problem !== null}
          data-testid="endpoint-save"
        >
          {saving ? 'Saving…' : endpoint ? 'Save changes' : 'Add endpoint'}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => void testUnsaved()}
          disabled={reading.problem !== null || testState?.phase === 'testing'}
          data-testid="endpoint-editor-test-button"
        >
          <Icon name="plug" />
          Test connection
        </button>
        <button type="button" className="button button--ghost" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
