import type { Verification, VerificationStatus } from '../api/datasets';
import type { RenderOutcome } from '../api/render';
import { referenceRenderSize } from '../eval/metrics/imagePair';
import type { RenderSize } from '../eval/metrics/imagePair';
import type { MetricsComputer } from '../eval/metrics/metricsComputer';
import type { RgbaImage } from '../eval/metrics/pixels';
import type { RenderService } from '../render/renderService';
import type { BlobStore } from '../store/blobStore';

export interface VerificationThresholds {
  /** SSIM at or above this, and IoU at or above iouThreshold, is a match. */
  ssimThreshold: number;
  iouThreshold: number;
}

export const DEFAULT_THRESHOLDS: VerificationThresholds = { ssimThreshold: 0.9, iouThreshold: 0.8 };

/** The item fields a verification reads. */
export interface VerifiableItem {
  code: string | null;
  imageSha256: string | null;
}

export interface VerifyCall {
  signal?: AbortSignal;
  /** Trace and data URL for the detail view; the batch job needs neither. */
  forDisplay?: boolean;
}

export interface ItemVerdict {
  verification: Verification;
  /** Null when nothing was rendered (no code, no image). */
  render: RenderOutcome | null;
  /** The difference overlay, when both images exist. */
  diff: RgbaImage | null;
}

/**
 * Re-renders an item's code canonically at its image's size and dpi, and compares: SSIM on grey levels and
 * foreground IoU. One function for the verification job and the detail view's "re-render", so both agree.
 */
export class ItemVerifier {
  constructor(
    private readonly render: RenderService,
    private readonly blobs: BlobStore,
    /** Where SSIM and IoU are computed: the engine's metrics pool, off its event loop. */
    private readonly metrics: MetricsComputer,
    private readonly clock: () => number = Date.now,
  ) {}

  async verify(
    item: VerifiableItem,
    thresholds: VerificationThresholds,
    call: VerifyCall = {},
  ): Promise<ItemVerdict> {
    const verdict = (status: VerificationStatus, extra: Partial<Verification> = {}): Verification => ({
      status,
      ssim: null,
      iou: null,
      renderStatus: null,
      renderSha256: null,
      checkedAt: this.clock(),
      ...extra,
    });
    if (item.code === null || item.code.trim() === '')
      return { verification: verdict('no_code'), render: null, diff: null };
    const reference = item.imageSha256 ? await this.readReference(item.imageSha256) : null;
    const display = call.forDisplay ?? false;
    const renderAt = (size: { width?: number; height?: number; dpi?: number }) =>
      this.render.render(
        item.code!,
        { mode: 'canonical', ...size, trace: display },
        { ...(call.signal ? { signal: call.signal } : {}), withDataUrl: display },
      );
    if (!reference) {
      // Nothing to compare with; the detail view still shows what the code draws (at the default size).
      const render = display ? await renderAt({}) : null;
      return { verification: verdict('no_image'), render, diff: null };
    }

    const render = await renderAt(reference.size);
    const rendered = { renderStatus: render.status, renderSha256: render.image?.sha256 ?? null };
    if (render.status !== 'ok' || !render.image)
      return { verification: verdict('render_failed', rendered), render, diff: null };

    const { ssim, iou, diff } = await this.metrics.compareRenders(
      reference.png,
      this.blobs.read(render.image.sha256),
      call.signal,
    );
    const match = ssim >= thresholds.ssimThreshold && iou >= thresholds.iouThreshold;
    return {
      verification: verdict(match ? 'match' : 'mismatch', { ...rendered, ssim, iou }),
      render,
      diff,
    };
  }

  /**
   * The stored image and the size to render at, or null when there is none to compare with: its blob is gone
   * (a data dir copied without its blobs folder) or no longer decodes. One bad image must not fail a batch.
   */
  private async readReference(sha256: string): Promise<{ png: Buffer; size: RenderSize } | null> {
    try {
      const png = this.blobs.read(sha256);
      return { png, size: await referenceRenderSize(png) };
    } catch {
      return null;
    }
  }
}
