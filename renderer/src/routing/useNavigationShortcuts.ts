import { useEffect, useRef, useState } from 'react';
import type { RouteId } from './routes';
import { isTypingTarget, resolveShortcut } from './shortcuts';

const GO_TIMEOUT_MS = 1500;

/** Installs the global page shortcuts; returns whether `g` was pressed and the second key is awaited. */
export function useNavigationShortcuts(navigate: (id: RouteId) => void): boolean {
  const [goArmed, setGoArmed] = useState(false);
  const armed = useRef(false);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const setArmed = (value: boolean) => {
      armed.current = value;
      setGoArmed(value);
      clearTimeout(timer);
      if (value) timer = setTimeout(() => setArmed(false), GO_TIMEOUT_MS);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat || isTypingTarget(event.target)) return;
      const action = resolveShortcut(event, armed.current);
      if (action.type === 'none') return;
      if (action.type === 'arm-go') setArmed(true);
      if (action.type === 'disarm') setArmed(false);
      if (action.type === 'navigate') {
        event.preventDefault();
        setArmed(false);
        navigate(action.route);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('keydown', onKeyDown);
    };
  }, [navigate]);

  return goArmed;
}
