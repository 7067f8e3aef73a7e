import { open } from 'node:fs/promises';

/** One batch of an import: a byte range of the file and the 1-based number of its first line. */
export interface LineChunk {
  start: number;
  firstLine: number;
  lines: number;
}

export interface RawLine {
  /** 1-based. */
  line: number;
  bytes: Buffer;
}

const READ_SIZE = 1 << 20;

export function chunkKey(chunk: LineChunk): string {
  return `lines:${chunk.start}:${chunk.firstLine}:${chunk.lines}`;
}

export function parseChunkKey(key: string): LineChunk {
  const m = /^lines:(\d+):(\d+):(\d+)$/.exec(key);
  if (!m) throw new Error(`Bad import batch key "${key}".`);
  return { start: Number(m[1]), firstLine: Number(m[2]), lines: Number(m[3]) };
}

/**
 * Splits a file into batches of `perChunk` lines by scanning for newlines once. Byte offsets (not line
 * numbers) let a resumed import seek straight to a batch instead of re-reading everything before it.
 */
export async function planLineChunks(
  path: string,
  perChunk: number,
  signal: AbortSignal,
  skipLines = 0,
): Promise<LineChunk[]> {
  const file = await open(path, 'r');
  try {
    const chunks: LineChunk[] = [];
    const buf = Buffer.allocUnsafe(READ_SIZE);
    let position = 0;
    let line = 1;
    let lineStart = 0;
    let current: LineChunk | null = null;
    let lastByte = 0x0a;
    const endLine = (nextStart: number) => {
      if (line > skipLines) {
        if (!current) current = { start: lineStart, firstLine: line, lines: 0 };
        current.lines++;
        if (current.lines === perChunk) {
          chunks.push(current);
          current = null;
        }
      }
      line++;
      lineStart = nextStart;
    };
    for (;;) {
      signal.throwIfAborted();
      const { bytesRead } = await file.read(buf, 0, READ_SIZE, position);
      if (bytesRead === 0) break;
      let at = buf.indexOf(0x0a, 0);
      while (at !== -1 && at < bytesRead) {
        endLine(position + at + 1);
        at = buf.indexOf(0x0a, at + 1);
      }
      lastByte = buf[bytesRead - 1]!;
      position += bytesRead;
    }
    // A last line without a trailing newline is still a line.
    if (lastByte !== 0x0a) endLine(position);
    if (current) chunks.push(current);
    return chunks;
  } finally {
    await file.close();
  }
}

/**
 * Reads one batch as raw bytes per line. Bytes, not strings: decoding happens per row so a line that is not
 * UTF-8 becomes that row's error instead of silently turning into replacement characters.
 */
export async function readLineChunk(path: string, chunk: LineChunk): Promise<RawLine[]> {
  const file = await open(path, 'r');
  try {
    const out: RawLine[] = [];
    const buf = Buffer.allocUnsafe(READ_SIZE);
    let position = chunk.start;
    let pending: Buffer[] = [];
    while (out.length < chunk.lines) {
      const { bytesRead } = await file.read(buf, 0, READ_SIZE, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      let from = 0;
      let at = buf.indexOf(0x0a, 0);
      while (at !== -1 && at < bytesRead && out.length < chunk.lines) {
        pending.push(Buffer.from(buf.subarray(from, at)));
        out.push({ line: chunk.firstLine + out.length, bytes: Buffer.concat(pending) });
        pending = [];
        from = at + 1;
        at = buf.indexOf(0x0a, from);
      }
      if (out.length < chunk.lines) pending.push(Buffer.from(buf.subarray(from, bytesRead)));
    }
    if (out.length < chunk.lines && pending.length > 0)
      out.push({ line: chunk.firstLine + out.length, bytes: Buffer.concat(pending) });
    if (out.length < chunk.lines)
      throw new Error(
        `${path} changed since the import started: line ${chunk.firstLine + out.length} is gone.`,
      );
    return out;
  } finally {
    await file.close();
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a line strictly; strips a trailing CR (Windows files) and a leading BOM. */
export function decodeLine(bytes: Buffer): string {
  let text = utf8.decode(bytes);
  if (text.endsWith('\r')) text = text.slice(0, -1);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}
