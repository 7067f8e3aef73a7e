import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { EvalItemDetail } from '../../main/api/eval';
import { OVERLAY_COLOURS, inkCounts, inkDifference } from '../../main/eval/metrics/diffOverlay';
import { estimateBackground, foregroundIou, foregroundMask } from '../../main/eval/metrics/foregroundIou';
import type { RgbaImage } from '../../main/eval/metrics/pixels';
import { itemOverlay } from '../../main/eval/run/itemOverlay';

/**
 * The engine's difference overlay (eval.overlay): the foreground IoU metric's own masks, painted and counted.
 * These are the assertions the renderer's copy of the ink rule had, now against the one implementation.
 */

type Rgb = [number, number, number];
const W: Rgb = [255, 255, 255];
const K: Rgb = [0, 0, 0];

/** An opaque image from rows of colours. */
function image(rows: Rgb[][]): RgbaImage {
  const height = rows.length;
  const width = rows[0]!.length;
  const data = new Uint8Array(width * height * 4);
  rows.flat().forEach(([r, g, b], p) => data.set([r, g, b, 255], p * 4));
  return { width, height, data };
}

const pixel = (im: RgbaImage, x: number, y: number) => [
  ...im.data.slice((y * im.width + x) * 4, (y * im.width + x) * 4 + 3),
];

describe('ink rule (background from the border, ink = ΔE76 > 10)', () => {
  it('takes the background from the border’s most common colour bin, averaged over that bin', () => {
    // Border: four 250-greys and three 254-greys share a bin; one black pixel; the centre is not border.
    const g0: Rgb = [250, 250, 250];
    const g1: Rgb = [254, 254, 254];
    const mean = (4 * 250 + 3 * 254) / 7;
    expect(
      estimateBackground(
        image([
          [g0, g1, g0],
          [g1, K, K],
          [g0, g1, g0],
        ]),
      ),
    ).toEqual([mean, mean, mean]);
  });

  it('on a dark page black wins the border, so white strokes are the ink', () => {
    const dark = image([
      [K, K, K],
      [K, W, W],
      [K, K, K],
    ]);
    expect(estimateBackground(dark)).toEqual([0, 0, 0]);
    expect([...foregroundMask(dark).data]).toEqual([0, 0, 0, 0, 1, 1, 0, 0, 0]);
  });

  it('counts as ink only what is more than ΔE76 10 from the background; transparent reads as white', () => {
    // Greys on white: L* of 226 is 89.88 (ΔE 10.12, ink), of 227 is 90.24 (ΔE 9.76, not ink).
    const im = image([
      [W, W, W, W],
      [W, [226, 226, 226], [227, 227, 227], W],
      [W, W, W, W],
    ]);
    im.data.set([0, 0, 0, 0], 3 * 4);
    expect([...foregroundMask(im).data]).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  });
});

describe('inkDifference', () => {
  const reference = image([
    [W, W, W],
    [W, K, K],
    [W, W, W],
  ]);
  const candidate = image([
    [W, W, W],
    [[37, 99, 235], [50, 50, 50], W],
    [W, W, W],
  ]);

  it('paints red where only the reference has ink, blue where only the candidate has, grey where both', () => {
    const { overlay, counts, iou } = inkDifference(reference, candidate);
    expect(counts).toEqual({ referenceOnly: 1, renderOnly: 1, both: 1 });
    expect(pixel(overlay, 1, 1)).toEqual([...OVERLAY_COLOURS.both]);
    expect(pixel(overlay, 2, 1)).toEqual([...OVERLAY_COLOURS.referenceOnly]);
    expect(pixel(overlay, 0, 1)).toEqual([...OVERLAY_COLOURS.renderOnly]);
    expect(pixel(overlay, 0, 0)).toEqual([...OVERLAY_COLOURS.neither]);
    expect(overlay.data[3]).toBe(255);
    expect(iou).toBeCloseTo(1 / 3, 12);
  });

  it('gives the same IoU as the foreground IoU metric, and counts that add up to it', () => {
    // A 10×10 square against the same square moved 4 px right: 60 shared, 40 on either side only.
    const page = (x0: number) => {
      const rows: Rgb[][] = [];
      for (let y = 0; y < 20; y++) {
        const row: Rgb[] = [];
        for (let x = 0; x < 30; x++) row.push(x >= x0 && x < x0 + 10 && y >= 5 && y < 15 ? K : W);
        rows.push(row);
      }
      return image(rows);
    };
    const { counts, iou } = inkDifference(page(5), page(9));
    expect(counts).toEqual({ referenceOnly: 40, renderOnly: 40, both: 60 });
    expect(iou).toBe(foregroundIou(page(5), page(9)));
    expect(iou).toBeCloseTo(60 / 140, 12);
  });

  it('refuses masks of different sizes, naming both sizes', () => {
    expect(() => inkDifference(reference, image([[W, W]]))).toThrow('The images differ in size (3×3 vs 2×1)');
    expect(() => inkCounts(foregroundMask(reference), foregroundMask(image([[W]])))).toThrow('3×3 vs 1×1');
  });
});

describe('itemOverlay (eval.overlay)', () => {
  const png = (im: RgbaImage) =>
    sharp(Buffer.from(im.data), { raw: { width: im.width, height: im.height, channels: 4 } })
      .png()
      .toBuffer();
  const detail = (referenceSha: string | null, candidateSha: string | null): EvalItemDetail =>
    ({
      result: {
        uid: '7',
        failure: candidateSha ? null : 'syntax',
        canonical: candidateSha ? { status: 'ok', imageSha256: candidateSha, traceSha256: null } : null,
      },
      complete: true,
      referenceCanonical: referenceSha
        ? { status: 'ok', imageSha256: referenceSha, traceSha256: null }
        : null,
    }) as unknown as EvalItemDetail;

  it('reads both canonical renders and returns the overlay as a PNG data URL with its counts', async () => {
    const blobs = new Map<string, Buffer>([
      [
        'ref',
        await png(
          image([
            [W, W, W],
            [W, K, K],
            [W, W, W],
          ]),
        ),
      ],
      [
        'cand',
        await png(
          image([
            [W, W, W],
            [K, K, W],
            [W, W, W],
          ]),
        ),
      ],
    ]);
    const asked: unknown[] = [];
    const result = await itemOverlay(
      {
        item: (...args) => {
          asked.push(args);
          return detail('ref', 'cand');
        },
        readBlob: (sha) => blobs.get(sha)!,
      },
      { runId: 'r', itemId: 3 },
    );
    expect(asked).toEqual([['r', 3, 0]]);
    expect(result).toMatchObject({
      width: 3,
      height: 3,
      counts: { referenceOnly: 1, candidateOnly: 1, shared: 1 },
      resized: false,
    });
    const decoded = await sharp(Buffer.from(result.dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [
      ...decoded.data.subarray((y * 3 + x) * decoded.info.channels, (y * 3 + x) * decoded.info.channels + 3),
    ];
    expect(at(0, 1)).toEqual([...OVERLAY_COLOURS.renderOnly]);
    expect(at(1, 1)).toEqual([...OVERLAY_COLOURS.both]);
    expect(at(2, 1)).toEqual([...OVERLAY_COLOURS.referenceOnly]);
  });

  it('says which side has no canonical render', async () => {
    const deps = (d: EvalItemDetail) => ({ item: () => d, readBlob: () => Buffer.alloc(0) });
    await expect(itemOverlay(deps(detail('ref', null)), { runId: 'r', itemId: 3 })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(
        /Item 7 has no canonical render of the candidate's code \(it failed: syntax\)/,
      ),
    });
    await expect(itemOverlay(deps(detail(null, 'cand')), { runId: 'r', itemId: 3 })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/no canonical render of its reference code/),
    });
  });
});
