import type { EngineSession } from '../api/engineSession';
import { ToastProvider } from '../notifications/ToastProvider';
import { ConnectionGate } from './ConnectionGate';

export function App({ session }: { session: EngineSession }) {
  return (
    <ToastProvider>
      <ConnectionGate session={session} />
    </ToastProvider>
  );
}
