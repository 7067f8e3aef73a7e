import { createContext, useCallback, useContext, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { describeError } from '../api/describeError';
import { ToastStack } from './ToastStack';

export interface Toast {
  id: number;
  kind: 'error' | 'success';
  /** What was being attempted, e.g. "Could not start the job". */
  title: string;
  message: string;
  hint: string | null;
  code: string | null;
}

export interface Toasts {
  /** Shows a failed call until the user dismisses it. */
  reportError(title: string, error: unknown): void;
  /** A short confirmation that goes away by itself. */
  confirm(title: string, message: string): void;
}

const ToastContext = createContext<Toasts | null>(null);
const CONFIRM_VISIBLE_MS = 4000;
const MAX_TOASTS = 5;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);

  const push = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      const id = nextId.current++;
      setToasts((all) => [...all, { ...toast, id }].slice(-MAX_TOASTS));
      if (toast.kind === 'success') setTimeout(() => dismiss(id), CONFIRM_VISIBLE_MS);
    },
    [dismiss],
  );

  const api = useMemo<Toasts>(
    () => ({
      reportError: (title, error) => push({ kind: 'error', title, ...describeError(error) }),
      confirm: (title, message) => push({ kind: 'success', title, message, hint: null, code: null }),
    }),
    [push],
  );

  return (
    <ToastContext.Provider value={api}>
      {children}
      <ToastStack toasts={toasts} onDismiss={dismiss} />
    </ToastContext.Provider>
  );
}

export function useToasts(): Toasts {
  const toasts = useContext(ToastContext);
  if (!toasts) throw new Error('useToasts() used outside ToastProvider.');
  return toasts;
}
