import { useState } from 'react';
import { describeError } from './describeError';
import type { ErrorDescription } from './describeError';

/**
 * A form that starts something on the engine: problems show once the person has tried to start
 * (`touched`), the button waits while the call is in flight (`starting`), and a refusal is kept (`error`).
 */
export function useStartForm<C>(
  config: C | null,
  call: (config: C) => Promise<void>,
): { touched: boolean; starting: boolean; error: ErrorDescription | null; start: () => Promise<void> } {
  const [touched, setTouched] = useState(false);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<ErrorDescription | null>(null);
  const start = async () => {
    setTouched(true);
    setError(null);
    if (!config) return;
    setStarting(true);
    try {
      await call(config);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setStarting(false);
    }
  };
  return { touched, starting, error, start };
}
