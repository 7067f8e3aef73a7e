import type { ConnectFailure } from '../api/connectEngine';
import { FullPageMessage } from '../components/FullPageMessage';

const titles: Record<ConnectFailure['reason'], string> = {
  'no-token': 'No access token',
  refused: 'Cannot reach the engine',
  timeout: 'The engine does not answer',
  handshake: 'The engine and this UI do not match',
  closed: 'Disconnected from the engine',
};

interface ConnectionErrorScreenProps {
  failure: ConnectFailure;
  onReconnect: () => void;
}

export function ConnectionErrorScreen({ failure, onReconnect }: ConnectionErrorScreenProps) {
  return (
    <FullPageMessage icon="error" title={titles[failure.reason]} tone="error" testId="connection-error">
      <p className="full-page__text" data-testid="connection-error-message">
        {failure.message}
      </p>
      <p className="full-page__hint">{failure.hint}</p>
      <div className="full-page__actions">
        <button
          type="button"
          className="button button--primary"
          data-testid="connection-reconnect"
          onClick={onReconnect}
          autoFocus
        >
          Reconnect
        </button>
      </div>
    </FullPageMessage>
  );
}
