import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { Icon } from '../components/Icon';
import { parseIndexList } from './indexList';
import { useJobs } from './JobsProvider';

const LIMITS = { items: { min: 1, max: 100_000 }, delayMs: { min: 0, max: 60_000 } };

function inRange(value: number, { min, max }: { min: number; max: number }): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

interface IntegerFieldProps {
  label: string;
  limits: { min: number; max: number };
  value: string;
  onChange: (value: string) => void;
  testId: string;
}

/** A labelled whole-number input; the text is kept as typed and validated by the form. */
function IntegerField({ label, limits, value, onChange, testId }: IntegerFieldProps) {
  return (
    <label className="field">
      <span className="field__label">{label}</span>
      <input
        className="input input--number"
        type="number"
        inputMode="numeric"
        min={limits.min}
        max={limits.max}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
      />
    </label>
  );
}

/** Starts a 'demo.count' job: no real work, but it exercises progress, rate, ETA, pause, cancel and resume. */
export function DemoJobForm() {
  const { startDemo } = useJobs();
  const [items, setItems] = useState('20');
  const [delayMs, setDelayMs] = useState('50');
  const [failAt, setFailAt] = useState('');
  const [starting, setStarting] = useState(false);
  const id = useId();

  const failIndexes = parseIndexList(failAt);
  const problem = !inRange(Number(items), LIMITS.items)
    ? 'Items must be a whole number from 1 to 100 000.'
    : !inRange(Number(delayMs), LIMITS.delayMs)
      ? 'Delay must be a whole number of milliseconds from 0 to 60 000.'
      : failIndexes === null
        ? 'Failing items are item indexes (0, 1, …) separated by commas or spaces.'
        : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem || failIndexes === null) return;
    setStarting(true);
    await startDemo({
      items: Number(items),
      delayMs: Number(delayMs),
      ...(failIndexes.length > 0 ? { failAt: failIndexes } : {}),
    });
    setStarting(false);
  };

  return (
    <form
      className="card demo-form"
      onSubmit={submit}
      aria-labelledby={`${id}-title`}
      data-testid="demo-job-form"
    >
      <div className="card__header">
        <h2 className="card__title" id={`${id}-title`}>
          Start demo job
        </h2>
        <p className="card__subtitle">
          Counts items with a delay each — a safe way to see the job queue at work.
        </p>
      </div>
      <div className="form-row">
        <IntegerField
          label="Items"
          limits={LIMITS.items}
          value={items}
          onChange={setItems}
          testId="demo-items"
        />
        <IntegerField
          label="Delay per item (ms)"
          limits={LIMITS.delayMs}
          value={delayMs}
          onChange={setDelayMs}
          testId="demo-delay"
        />
        <label className="field field--grow">
          <span className="field__label">Items that fail on purpose (optional)</span>
          <input
            className="input"
            type="text"
            placeholder="e.g. 3, 7"
            value={failAt}
            onChange={(e) => setFailAt(e.target.value)}
            data-testid="demo-fail-at"
          />
        </label>
        <button
          type="submit"
          className="button button--primary"
          disabled={problem !== null || starting}
          data-testid="demo-start"
        >
          <Icon name="play" />
          {starting ? 'Starting…' : 'Start demo job'}
        </button>
      </div>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
