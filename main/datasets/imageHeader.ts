export interface ImageHeader {
  format: 'png' | 'jpeg' | 'gif' | 'webp';
  /** The blob-store extension for this format. */
  ext: 'png' | 'jpg' | 'gif' | 'webp';
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Reads format and size from an image's first bytes, with no native decoder: enough to reject what is not an
 * image, or is cut short, at import time. Throws an Error whose message says what is wrong.
 */
export function readImageHeader(data: Uint8Array): ImageHeader {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) return png(buf);
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return jpeg(buf);
  if (buf.length >= 6 && /^GIF8[79]a$/.test(buf.toString('latin1', 0, 6))) return gif(buf);
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP')
    return webp(buf);
  throw new Error('not a PNG, JPEG, GIF or WebP image (unknown magic bytes)');
}

function positive(format: ImageHeader['format'], width: number, height: number): void {
  if (width <= 0 || height <= 0) throw new Error(`corrupt ${format}: size ${width}×${height}`);
}

function png(buf: Buffer): ImageHeader {
  // The IHDR chunk must come first: length 13, type "IHDR", then width and height.
  if (buf.length < 24 || buf.toString('latin1', 12, 16) !== 'IHDR')
    throw new Error('corrupt PNG: no IHDR chunk after the signature');
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  positive('png', width, height);
  // A PNG cut short has no IEND; checking it costs nothing and catches truncated downloads.
  if (buf.length < 45 || buf.toString('latin1', buf.length - 8, buf.length - 4) !== 'IEND')
    throw new Error('corrupt PNG: truncated (no IEND chunk at the end)');
  return { format: 'png', ext: 'png', width, height };
}

function jpeg(buf: Buffer): ImageHeader {
  let at = 2;
  while (at + 4 <= buf.length) {
    if (buf[at] !== 0xff) throw new Error(`corrupt JPEG: expected a marker at byte ${at}`);
    const marker = buf[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    const length = buf.readUInt16BE(at + 2);
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > buf.length) break;
      const height = buf.readUInt16BE(at + 5);
      const width = buf.readUInt16BE(at + 7);
      positive('jpeg', width, height);
      return { format: 'jpeg', ext: 'jpg', width, height };
    }
    at += 2 + length;
  }
  throw new Error('corrupt JPEG: no frame header (SOF) found');
}

function gif(buf: Buffer): ImageHeader {
  if (buf.length < 10) throw new Error('corrupt GIF: header cut short');
  const width = buf.readUInt16LE(6);
  const height = buf.readUInt16LE(8);
  positive('gif', width, height);
  return { format: 'gif', ext: 'gif', width, height };
}

function webp(buf: Buffer): ImageHeader {
  const chunk = buf.toString('latin1', 12, 16);
  if (chunk === 'VP8 ' && buf.length >= 30) {
    const width = buf.readUInt16LE(26) & 0x3fff;
    const height = buf.readUInt16LE(28) & 0x3fff;
    positive('webp', width, height);
    return { format: 'webp', ext: 'webp', width, height };
  }
  if (chunk === 'VP8L' && buf.length >= 25) {
    const bits = buf.readUInt32LE(21);
    const width = (bits & 0x3fff) + 1;
    const height = ((bits >> 14) & 0x3fff) + 1;
    return { format: 'webp', ext: 'webp', width, height };
  }
  if (chunk === 'VP8X' && buf.length >= 30) {
    const width = buf.readUIntLE(24, 3) + 1;
    const height = buf.readUIntLE(27, 3) + 1;
    return { format: 'webp', ext: 'webp', width, height };
  }
  throw new Error('corrupt WebP: unknown or truncated chunk');
}
