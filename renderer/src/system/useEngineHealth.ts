import { useEffect, useState } from 'react';
import type { Health } from '../../../main/api/system';
import { describeError } from '../api/describeError';
import { useEngine } from '../api/EngineContext';

const POLL_INTERVAL_MS = 5000;

export type HealthReading =
  | { state: 'pending' }
  | { state: 'ok'; health: Health }
  | { state: 'down'; message: string; health: Health | null };

/** Polls system.health; a failed or not-ok answer reads as 'down' until the next poll succeeds. */
export function useEngineHealth(): HealthReading {
  const { client } = useEngine();
  const [reading, setReading] = useState<HealthReading>({ state: 'pending' });

  useEffect(() => {
    let live = true;
    const poll = () => {
      client.call('system.health', {}).then(
        (health) =>
          live &&
          setReading(
            health.ok
              ? { state: 'ok', health }
              : { state: 'down', message: 'The engine reports a problem.', health },
          ),
        (error: unknown) =>
          live && setReading({ state: 'down', message: describeError(error).message, health: null }),
      );
    };
    poll();
    const timer = setInterval(poll, POLL_INTERVAL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [client]);

  return reading;
}
