import { useEffect, useId, useRef, useState } from 'react';
import type { ChangeEvent, FormEvent, KeyboardEvent } from 'react';
import { Icon } from '../components/Icon';
import { formatMilliseconds } from '../format/duration';
import { chatFormLimits, defaultChatForm, liveTokensPerSecond, readChatForm } from './chatForm';
import type { ChatFormValues, ChatTarget } from './chatForm';
import { formatTokensPerSecond } from './modelFormat';
import { useChatRun } from './useChatRun';
import type { ChatRun } from './useChatRun';

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}.`));
    reader.readAsDataURL(file);
  });
}

/** Re-renders every half second while a run streams, so the live speed keeps moving between chunks. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(performance.now()), 500);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** Prompt (+ optional image) → streamed answer from a loaded model or an endpoint, with speed and Stop. */
export function ChatPlayground({ targets }: { targets: readonly ChatTarget[] }) {
  const id = useId();
  const [form, setForm] = useState<ChatFormValues>(defaultChatForm);
  const [imageError, setImageError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const { run, start, stop } = useChatRun();
  const running = run.phase === 'running';
  const change = (patch: Partial<ChatFormValues>) => setForm((f) => ({ ...f, ...patch }));

  // Keep the choice valid: the first target when none (or a gone one) is chosen.
  const chosen = targets.some((t) => t.id === form.target) ? form.target : (targets[0]?.id ?? '');
  const values = { ...form, target: chosen };
  const reading = readChatForm(values, targets);

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!running && reading.params) start(reading.params);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  };
  const pickImage = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (!file.type.startsWith('image/')) {
      setImageError(`${file.name} is not an image.`);
      return;
    }
    try {
      change({ image: await readAsDataUrl(file), imageName: file.name });
      setImageError(null);
    } catch (error) {
      setImageError(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <div className="chat-playground">
      <form
        noValidate
        className="card chat-form"
        onSubmit={submit}
        onKeyDown={onKeyDown}
        aria-labelledby={`${id}-title`}
      >
        <div className="card__header">
          <h2 className="card__title" id={`${id}-title`}>
            Prompt
          </h2>
          <p className="card__subtitle">One user turn to a loaded model or an endpoint. Ctrl+Enter runs.</p>
        </div>
        <div className="chat-form__body">
          <label className="field">
            <span className="field__label">Model</span>
            <select
              className="input"
              value={chosen}
              onChange={(e) => change({ target: e.target.value })}
              disabled={targets.length === 0}
              data-testid="chat-target"
            >
              {targets.length === 0 && <option value="">No model loaded and no endpoint</option>}
              {targets.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field__label">Prompt</span>
            <textarea
              className="input chat-form__prompt"
              value={form.prompt}
              onChange={(e) => change({ prompt: e.target.value })}
              placeholder="Describe the figure: axes, series, colours, annotations."
              rows={6}
              data-testid="chat-prompt"
            />
          </label>
          <div className="field">
            <span className="field__label">Image (optional)</span>
            <div className="chat-image">
              {form.image ? (
                <>
                  <img
                    className="chat-image__preview"
                    src={form.image}
                    alt={form.imageName ?? 'Chosen image'}
                  />
                  <span className="mono chat-image__name" data-testid="chat-image-name">
                    {form.imageName}
                  </span>
                  <button
                    type="button"
                    className="button button--small button--ghost"
                    onClick={() => change({ image: null, imageName: null })}
                  >
                    Remove
                  </button>
                </>
              ) : (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => fileInput.current?.click()}
                >
                  <Icon name="upload" />
                  Choose image…
                </button>
              )}
              <input
                ref={fileInput}
                type="file"
                accept="image/*"
                hidden
                onChange={(e) => void pickImage(e)}
                data-testid="chat-image-input"
              />
            </div>
            {imageError && <span className="text-error">{imageError}</span>}
          </div>
          <div className="chat-form__numbers">
            <label className="field">
              <span className="field__label">Max tokens</span>
              <input
                className="input input--number"
                type="number"
                min={chatFormLimits.maxTokens.min}
                max={chatFormLimits.maxTokens.max}
                value={form.maxTokens}
                onChange={(e) => change({ maxTokens: e.target.value })}
                data-testid="chat-max-tokens"
              />
            </label>
            <label className="field">
              <span className="field__label">Temperature</span>
              <input
                className="input input--number"
                type="number"
                min={chatFormLimits.temperature.min}
                max={chatFormLimits.temperature.max}
                step={0.1}
                value={form.temperature}
                onChange={(e) => change({ temperature: e.target.value })}
                data-testid="chat-temperature"
              />
            </label>
            <label className="field">
              <span className="field__label">Seed</span>
              <input
                className="input input--number"
                type="number"
                value={form.seed}
                placeholder="random"
                onChange={(e) => change({ seed: e.target.value })}
                data-testid="chat-seed"
              />
            </label>
          </div>
        </div>
        <div className="form-actions">
          <button
            type="submit"
            className="button button--primary"
            disabled={running || reading.problem !== null}
            data-testid="chat-run"
          >
            <Icon name="play" />
            Run
          </button>
          <button type="button" className="button" onClick={stop} disabled={!running} data-testid="chat-stop">
            <Icon name="stop" />
            Stop
          </button>
          {reading.problem && (
            <span className="muted" data-testid="chat-problem">
              {reading.problem}
            </span>
          )}
        </div>
      </form>
      <ChatOutput run={run} />
    </div>
  );
}

function ChatStats({ run }: { run: ChatRun }) {
  const now = useNow(run.phase === 'running');
  if (run.phase === 'running') {
    const rate = liveTokensPerSecond(run.chunks, run.firstChunkAt, now);
    return (
      <>
        <span>{run.chunks} tokens so far</span>
        <span data-testid="chat-rate">{formatTokensPerSecond(rate)}</span>
        <span>{formatMilliseconds(now - run.startedAt)}</span>
      </>
    );
  }
  if (run.phase === 'done') {
    const { tokens, timings, stopReason } = run.result;
    return (
      <>
        <span data-testid="chat-tokens">
          {tokens.prompt} prompt + {tokens.completion} completion tokens
        </span>
        <span data-testid="chat-rate">{formatTokensPerSecond(timings.tokensPerSecond)}</span>
        <span title="Time to first token, including prompt processing">
          first token {timings.firstTokenMs === null ? '—' : formatMilliseconds(timings.firstTokenMs)}
        </span>
        <span>total {formatMilliseconds(timings.totalMs)}</span>
        <span>stop: {stopReason}</span>
      </>
    );
  }
  if (run.phase === 'stopped')
    return (
      <>
        <span>
          Stopped after {formatMilliseconds(run.afterMs)} and {run.chunks} tokens
        </span>
        <span data-testid="chat-rate">{formatTokensPerSecond(run.tokensPerSecond)}</span>
      </>
    );
  return null;
}

const phaseLabel: Record<ChatRun['phase'], string> = {
  idle: 'Idle',
  running: 'Generating…',
  done: 'Done',
  stopped: 'Stopped',
  failed: 'Failed',
};

function ChatOutput({ run }: { run: ChatRun }) {
  const text = run.phase === 'idle' ? '' : run.text;
  return (
    <section
      className="card chat-output"
      aria-label="Answer"
      data-testid="chat-output"
      data-phase={run.phase}
    >
      <div className="card__header card__header--row">
        <h2 className="card__title">Answer</h2>
        <span
          className={`badge badge--${run.phase === 'done' ? 'done' : run.phase === 'failed' ? 'failed' : run.phase === 'running' ? 'running' : 'cancelled'}`}
          data-testid="chat-phase"
        >
          {phaseLabel[run.phase]}
        </span>
      </div>
      <div className="chat-output__stats" data-testid="chat-stats">
        <ChatStats run={run} />
      </div>
      {run.phase === 'failed' && (
        <p className="banner banner--error chat-output__error" role="alert" data-testid="chat-error">
          <Icon name="error" />
          <span>
            <strong>{run.error.message}</strong>
            {run.error.hint && <> {run.error.hint}</>}
          </span>
        </p>
      )}
      {run.phase === 'idle' ? (
        <p className="card__empty">The answer streams here, token by token.</p>
      ) : (
        <pre className="chat-output__text" aria-live="polite" data-testid="chat-text">
          {text}
          {run.phase === 'running' && <span className="chat-output__caret" aria-hidden />}
        </pre>
      )}
    </section>
  );
}
