import { describe, expect, it } from 'vitest';
import { readImageHeader } from '../../main/datasets/imageHeader';
import { makePng } from '../support/pngFixture';

function jpeg(width: number, height: number): Buffer {
  // SOI, an APP0 segment to skip, then SOF0 with the frame size.
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x04, 0x00, 0x00]);
  const sof = Buffer.from([
    0xff,
    0xc0,
    0x00,
    0x0b,
    0x08,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    1,
    1,
  ]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}

describe('readImageHeader', () => {
  it('reads PNG, JPEG, GIF and WebP sizes from their headers', () => {
    expect(readImageHeader(makePng(7, 5))).toEqual({ format: 'png', ext: 'png', width: 7, height: 5 });
    expect(readImageHeader(jpeg(640, 480))).toEqual({ format: 'jpeg', ext: 'jpg', width: 640, height: 480 });
    const gif = Buffer.from('GIF89a\x20\x00\x10\x00\x00\x00\x00;', 'latin1');
    expect(readImageHeader(gif)).toEqual({ format: 'gif', ext: 'gif', width: 32, height: 16 });
    const vp8x = Buffer.alloc(30);
    vp8x.write('RIFF', 0, 'latin1');
    vp8x.write('WEBPVP8X', 8, 'latin1');
    vp8x.writeUIntLE(99, 24, 3);
    vp8x.writeUIntLE(49, 27, 3);
    expect(readImageHeader(vp8x)).toEqual({ format: 'webp', ext: 'webp', width: 100, height: 50 });
  });

  it('rejects unknown bytes, a truncated PNG and a JPEG without a frame header', () => {
    expect(() => readImageHeader(Buffer.from('hello world'))).toThrow(
      'not a PNG, JPEG, GIF or WebP image (unknown magic bytes)',
    );
    expect(() => readImageHeader(makePng(4, 4).subarray(0, 40))).toThrow(
      'corrupt PNG: truncated (no IEND chunk at the end)',
    );
    expect(() => readImageHeader(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toThrow(
      'corrupt JPEG: no frame header (SOF) found',
    );
  });
});
