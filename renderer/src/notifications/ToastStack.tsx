import type { Toast } from './ToastProvider';
import { Icon } from '../components/Icon';

interface ToastStackProps {
  toasts: Toast[];
  onDismiss: (id: number) => void;
}

export function ToastStack({ toasts, onDismiss }: ToastStackProps) {
  return (
    <div className="toast-stack" aria-live="polite" aria-relevant="additions">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          className={`toast toast--${toast.kind}`}
          role={toast.kind === 'error' ? 'alert' : 'status'}
          data-testid="toast"
          data-kind={toast.kind}
        >
          <Icon name={toast.kind === 'error' ? 'error' : 'ok'} className="toast__icon" />
          <div className="toast__body">
            <div className="toast__title">
              {toast.title}
              {toast.code && <code className="toast__code">{toast.code}</code>}
            </div>
            <div className="toast__message">{toast.message}</div>
            {toast.hint && <div className="toast__hint">{toast.hint}</div>}
          </div>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss"
            data-testid="toast-dismiss"
            onClick={() => onDismiss(toast.id)}
          >
            <Icon name="close" />
          </button>
        </div>
      ))}
    </div>
  );
}
