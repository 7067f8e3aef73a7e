import type { EnvironmentCheck } from '../../../main/api/system';
import { useEngine } from '../api/EngineContext';
import { formatDuration } from '../format/duration';
import { useRenderHealth } from '../system/RenderHealthProvider';
import { summarizeRenderHealth } from '../system/renderHealthModel';
import { useSystemInfo } from '../system/SystemInfoProvider';
import { useEngineHealth } from '../system/useEngineHealth';
import type { HealthReading } from '../system/useEngineHealth';
import { Icon } from './Icon';

export function StatusBar() {
  const { transport } = useEngine();
  const { info } = useSystemInfo();
  const check = (id: string) => info?.checks.find((c) => c.id === id);
  return (
    <footer className="status-bar" aria-label="Status">
      <EngineHealthItem />
      <span
        className="status-bar__item status-bar__item--path"
        title={info?.dbPath ?? undefined}
        data-testid="status-data-dir"
      >
        <span className="status-bar__label">Data</span>
        <span className="mono">{info?.dataDir ?? 'checking…'}</span>
      </span>
      <CheckItem label="Python" check={check('python')} testId="status-python" />
      <RendererItem />
      <CheckItem label="GPU" check={check('gpu')} testId="status-gpu" />
      <span className="status-bar__spacer" />
      <span
        className="status-bar__item"
        data-testid="status-transport"
        title="How this window talks to the engine"
      >
        <span className="status-bar__label">Transport</span>
        {transport === 'messageport' ? 'MessagePort' : 'WebSocket'}
      </span>
    </footer>
  );
}

function healthTitle(reading: HealthReading): string {
  if (reading.state === 'pending') return 'Checking the engine…';
  if (reading.state === 'down') return `Engine unreachable or unhealthy: ${reading.message}`;
  const { uptimeMs, connections, activeCalls } = reading.health;
  return `Up ${formatDuration(uptimeMs / 1000)} · ${connections} connection(s) · ${activeCalls} call(s) in flight, this health check included`;
}

function EngineHealthItem() {
  const reading = useEngineHealth();
  const health = reading.state === 'pending' ? null : reading.health;
  return (
    <span
      className="status-bar__item"
      data-testid="status-health"
      data-state={reading.state}
      title={healthTitle(reading)}
    >
      <span
        className={`dot dot--${reading.state === 'ok' ? 'ok' : reading.state === 'down' ? 'error' : 'pending'}`}
      />
      <span>Engine {reading.state === 'ok' ? 'ok' : reading.state === 'down' ? 'down' : '…'}</span>
      {health && (
        <span className="status-bar__muted" data-testid="status-version">
          v{health.version}
        </span>
      )}
      {health && (
        <span className="status-bar__muted" data-testid="status-active-calls">
          {health.activeCalls} active {health.activeCalls === 1 ? 'call' : 'calls'}
        </span>
      )}
    </span>
  );
}

/** The Python renderer and its sandbox; a weakened sandbox is shown loudly, never just in a tooltip. */
function RendererItem() {
  const health = useRenderHealth();
  const summary = summarizeRenderHealth(health);
  const loud = summary.tone === 'warn' || summary.tone === 'error';
  return (
    <span
      className={`status-bar__item status-bar__item--renderer${loud ? ` status-bar__item--${summary.tone}` : ''}`}
      data-testid="status-renderer"
      data-state={health?.state ?? 'pending'}
      data-tone={summary.tone}
      title={summary.title}
      role={summary.tone === 'warn' ? 'alert' : undefined}
    >
      {loud ? (
        <Icon name={summary.tone === 'warn' ? 'warn' : 'error'} />
      ) : (
        <span className={`dot dot--${summary.tone === 'ok' ? 'ok' : 'pending'}`} />
      )}
      <span className="status-bar__detail">{summary.text}</span>
    </span>
  );
}

/** The status bar has room for the finding, not the explanation after the dash (the tooltip has it all). */
function briefDetail(detail: string): string {
  return detail.split(' — ')[0] ?? detail;
}

interface CheckItemProps {
  label: string;
  check: EnvironmentCheck | undefined;
  testId: string;
}

function CheckItem({ label, check, testId }: CheckItemProps) {
  return (
    <span
      className="status-bar__item status-bar__item--check"
      data-testid={testId}
      data-status={check?.status}
      title={check ? [check.detail, check.fix].filter(Boolean).join('\n') : undefined}
    >
      <span className={`dot dot--${check?.status ?? 'pending'}`} />
      <span className="status-bar__label">{label}</span>
      <span className="status-bar__detail">{check ? briefDetail(check.detail) : 'checking…'}</span>
    </span>
  );
}
