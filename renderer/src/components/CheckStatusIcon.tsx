import type { EnvironmentCheck } from '../../../main/api/system';
import { Icon } from './Icon';

const labels: Record<EnvironmentCheck['status'], string> = { ok: 'OK', warn: 'Warning', error: 'Error' };

export function CheckStatusIcon({ status }: { status: EnvironmentCheck['status'] }) {
  return (
    <span className={`check-icon check-icon--${status}`}>
      <Icon name={status} title={labels[status]} />
    </span>
  );
}
