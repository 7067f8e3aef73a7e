import { useEngine } from '../api/EngineContext';
import { useSystemInfo } from './SystemInfoProvider';

export function EngineDetails() {
  const { engineVersion, transport } = useEngine();
  const { info } = useSystemInfo();
  const rows: [string, string][] = [
    ['Engine version', engineVersion],
    ['Data directory', info?.dataDir ?? '…'],
    ['Database', info?.dbPath ?? '…'],
    [
      'Transport',
      `${transport === 'messageport' ? 'MessagePort (desktop app)' : 'WebSocket (codepercept serve)'}`,
    ],
  ];
  return (
    <section className="card" aria-labelledby="engine-details-title">
      <div className="card__header">
        <h2 className="card__title" id="engine-details-title">
          Engine
        </h2>
      </div>
      <dl className="details" data-testid="engine-details">
        {rows.map(([term, value]) => (
          <div key={term} className="details__row">
            <dt>{term}</dt>
            <dd className="mono">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
