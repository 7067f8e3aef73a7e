import { createHash } from 'node:crypto';
import type { MediaImage, Verification } from '../api/datasets';
import type { RenderOutcome } from '../api/render';
import { encodePng } from '../eval/metrics/imagePair';
import type { ItemRepository } from './itemRepository';
import { DEFAULT_THRESHOLDS } from './verification';
import type { ItemVerifier, VerificationThresholds } from './verification';
import type { VerificationRepository } from './verificationRepository';

export interface RerenderResult {
  render: RenderOutcome;
  diff: MediaImage | null;
  verification: Verification;
}

export interface RerenderDeps {
  items: ItemRepository;
  verifier: ItemVerifier;
  verifications: VerificationRepository;
}

/**
 * The detail view's "re-render": renders one item now (with its trace and a data URL), compares it with the
 * stored image, stores the verdict as the item's verification and returns the difference overlay.
 * An item without code or image still gets its verdict (no_code, no_image).
 */
export async function rerenderItem(
  deps: RerenderDeps,
  itemId: number,
  thresholds: Partial<VerificationThresholds>,
  signal?: AbortSignal,
): Promise<RerenderResult> {
  const item = deps.items.get(itemId);
  const verdict = await deps.verifier.verify(
    item,
    { ...DEFAULT_THRESHOLDS, ...thresholds },
    { forDisplay: true, ...(signal ? { signal } : {}) },
  );
  signal?.throwIfAborted();
  deps.verifications.saveAll([{ itemId, verification: verdict.verification }], null);
  let diff: MediaImage | null = null;
  if (verdict.diff) {
    const png = await encodePng(verdict.diff);
    diff = {
      sha256: createHash('sha256').update(png).digest('hex'),
      dataUrl: `data:image/png;base64,${png.toString('base64')}`,
      width: verdict.diff.width,
      height: verdict.diff.height,
    };
  }
  return {
    render: verdict.render ?? nothingRendered(),
    diff,
    verification: verdict.verification,
  };
}

/** The render outcome for an item without code, so the contract's `render` is always filled. */
function nothingRendered(): RenderOutcome {
  return {
    status: 'no_code',
    failure: {
      type: null,
      message: 'The item has no code to render.',
      line: null,
      frame: null,
      module: null,
      signal: null,
    },
    partial: false,
    image: null,
    trace: null,
    stdout: '',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    durationMs: 0,
    cached: false,
    key: '',
  };
}
