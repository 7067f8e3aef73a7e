import type { Verification, VerificationFilter } from '../../../main/api/datasets';

const labels: Record<VerificationFilter, string> = {
  match: 'match',
  mismatch: 'mismatch',
  render_failed: 'render failed',
  no_code: 'no code',
  no_image: 'no image',
  unverified: 'unverified',
};

const tones: Record<VerificationFilter, string> = {
  match: 'done',
  mismatch: 'failed',
  render_failed: 'failed',
  no_code: 'cancelled',
  no_image: 'cancelled',
  unverified: 'queued',
};

export function verificationLabel(value: VerificationFilter): string {
  return labels[value];
}

/** Whether an item's code still draws its image, as a badge; "unverified" when it was never checked. */
export function VerificationBadge({ verification }: { verification: Verification | null }) {
  const status = verification?.status ?? 'unverified';
  return (
    <span className={`badge badge--${tones[status]}`} data-testid="verification-badge" data-status={status}>
      {labels[status]}
    </span>
  );
}
