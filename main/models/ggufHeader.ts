import type { FileHandle } from 'node:fs/promises';

/**
 * A GGUF header parser that trusts nothing the file says: every count and length is checked against the bytes
 * left in the file (and an absolute cap) before anything is allocated or looped over, so a 24-byte file that
 * claims 2^64 tensors fails at once instead of running for minutes, and arrays are skipped, never built, so a
 * claimed 2^61-element array cannot exhaust the heap. The file is read in bounded chunks.
 */

export class GgufFileError extends Error {
  override name = 'GgufFileError';
}

/** GGUF metadata value types (gguf.h). */
export const enum GgufValueType {
  Uint8 = 0,
  Int8 = 1,
  Uint16 = 2,
  Int16 = 3,
  Uint32 = 4,
  Int32 = 5,
  Float32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
  Uint64 = 10,
  Int64 = 11,
  Float64 = 12,
}

/** Bytes one value of each type takes at least (a string is its u64 length; an array its type and count). */
const MIN_VALUE_BYTES: Record<number, number> = {
  [GgufValueType.Uint8]: 1,
  [GgufValueType.Int8]: 1,
  [GgufValueType.Uint16]: 2,
  [GgufValueType.Int16]: 2,
  [GgufValueType.Uint32]: 4,
  [GgufValueType.Int32]: 4,
  [GgufValueType.Float32]: 4,
  [GgufValueType.Bool]: 1,
  [GgufValueType.String]: 8,
  [GgufValueType.Array]: 12,
  [GgufValueType.Uint64]: 8,
  [GgufValueType.Int64]: 8,
  [GgufValueType.Float64]: 8,
};

const TYPE_NAMES: Record<number, string> = {
  [GgufValueType.Uint8]: 'uint8',
  [GgufValueType.Int8]: 'int8',
  [GgufValueType.Uint16]: 'uint16',
  [GgufValueType.Int16]: 'int16',
  [GgufValueType.Uint32]: 'uint32',
  [GgufValueType.Int32]: 'int32',
  [GgufValueType.Float32]: 'float32',
  [GgufValueType.Bool]: 'bool',
  [GgufValueType.String]: 'string',
  [GgufValueType.Array]: 'array',
  [GgufValueType.Uint64]: 'uint64',
  [GgufValueType.Int64]: 'int64',
  [GgufValueType.Float64]: 'float64',
};

const MAGIC = Buffer.from('GGUF', 'latin1');
/** A key/value at least: key length, value type, a one-byte value. */
const MIN_KV_BYTES = 8 + 4 + 1;
/** A tensor info at least: name length, dimension count, ggml type, data offset. */
const MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8;
/** Far above any real model (a few thousand tensors, a few dozen keys), far below what would exhaust memory. */
const MAX_TENSORS = 1 << 20;
const MAX_KVS = 1 << 20;
/** The GGUF spec's limit on key length. */
const MAX_KEY_BYTES = 65_535;
/** llama.cpp's GGML_MAX_NAME (it refuses names this long) and GGML_MAX_DIMS. */
const MAX_TENSOR_NAME_BYTES = 63;
const MAX_DIMENSIONS = 4;
/** Longer string values (an embedded tokenizer.json) are skipped, not decoded: nothing we show is that long. */
const MAX_DECODED_STRING_BYTES = 1 << 20;
const CHUNK_BYTES = 1 << 20;
const DEFAULT_ALIGNMENT = 32;

export type GgufScalar = number | bigint | boolean | string;

export interface GgufEntry {
  type: GgufValueType;
  /** Numbers (u64/i64 as bigint), booleans and strings up to 1 MiB; null for arrays and longer strings. */
  value: GgufScalar | null;
}

export interface GgufTensorInfo {
  name: string;
  /** ggml order; u64 dimensions beyond 2^53 lose precision, which only matters for files rejected anyway. */
  dimensions: number[];
  ggmlType: number;
  /** From the start of the data section. */
  offset: number;
}

export interface GgufHeader {
  /** The file's size when it was read; every check above was made against it. */
  sizeBytes: number;
  metadata: Map<string, GgufEntry>;
  tensors: GgufTensorInfo[];
  /** Where the data section starts: the end of the tensor infos, aligned to general.alignment. */
  dataOffset: number;
}

/** Reads a file front to back through one bounded buffer, refusing to go past the end. */
class BoundedReader {
  private chunk = Buffer.alloc(0);
  private chunkStart = 0;
  offset = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    readonly size: number,
  ) {}

  get remaining(): number {
    return this.size - this.offset;
  }

  fail(message: string, hint = 'It is damaged or not a GGUF model; download it again or remove it.'): never {
    throw new GgufFileError(`${this.path}: ${message} ${hint}`);
  }

  private require(bytes: number, what: string): void {
    if (bytes > this.remaining)
      this.fail(
        `${what} at offset ${this.offset} needs ${bytes} bytes, but the file ends at ${this.size}.`,
        'It is cut short; download or copy it again.',
      );
  }

  /** Reads the chunk that starts at the offset; fails first if the file has fewer than `bytes` left. */
  private async load(bytes: number, what: string): Promise<void> {
    this.require(bytes, what);
    const length = Math.min(Math.max(bytes, CHUNK_BYTES), this.remaining);
    const buffer = Buffer.allocUnsafe(length);
    const { bytesRead } = await this.handle.read(buffer, 0, length, this.offset);
    if (bytesRead < bytes)
      this.fail(
        `${what} at offset ${this.offset} could not be read.`,
        'The file shrank while being read; try again.',
      );
    this.chunk = buffer.subarray(0, bytesRead);
    this.chunkStart = this.offset;
  }

  private inBuffer(bytes: number): boolean {
    const start = this.offset - this.chunkStart;
    return start >= 0 && start + bytes <= this.chunk.length;
  }

  async bytes(bytes: number, what: string): Promise<Buffer> {
    if (!this.inBuffer(bytes)) await this.load(bytes, what);
    const at = this.offset - this.chunkStart;
    this.offset += bytes;
    return this.chunk.subarray(at, at + bytes);
  }

  skip(bytes: number, what: string): void {
    this.require(bytes, what);
    this.offset += bytes;
  }

  async u32(what: string): Promise<number> {
    return (await this.bytes(4, what)).readUInt32LE(0);
  }

  async u64(what: string): Promise<bigint> {
    return (await this.bytes(8, what)).readBigUInt64LE(0);
  }

  /** A u64 count of things at least `minBytes` each, checked against what is left before anyone loops on it. */
  async count(what: string, minBytes: number, max: number): Promise<number> {
    const at = this.offset;
    const n = await this.u64(`${what} count`);
    if (n * BigInt(minBytes) > BigInt(this.remaining))
      this.fail(
        `header claims ${n} ${what}, but the file is ${this.size} bytes ` +
          `(the count at offset ${at}; each needs at least ${minBytes} bytes and ${this.remaining} remain).`,
      );
    if (n > BigInt(max))
      this.fail(`header claims ${n} ${what} (offset ${at}); no model has more than ${max}.`);
    return Number(n);
  }

  /** A string length just read at `at`, checked against the bytes left and `max`. */
  private checkLength(n: bigint, at: number, what: string, max: number): number {
    if (n > BigInt(this.remaining))
      this.fail(
        `${what} at offset ${at} claims ${n} bytes, but only ${this.remaining} remain in the ${this.size}-byte file.`,
      );
    if (n > BigInt(max)) this.fail(`${what} at offset ${at} is ${n} bytes long; the limit is ${max}.`);
    return Number(n);
  }

  /** A string's length; the caller reads or skips that many bytes. */
  async stringLength(what: string, max = Number.MAX_SAFE_INTEGER): Promise<number> {
    const at = this.offset;
    return this.checkLength(await this.u64(`${what} length`), at, what, max);
  }

  async string(what: string, max: number): Promise<string> {
    const length = await this.stringLength(what, max);
    return (await this.bytes(length, what)).toString('utf8');
  }

  /**
   * Skips `count` strings, checking each length, decoding none. A vocabulary is 100k+ strings, so the loop
   * stays synchronous while the lengths are in the buffer and only waits for the disk between chunks.
   */
  async skipStrings(count: number, what: string): Promise<void> {
    for (let i = 0; i < count; i++) {
      if (!this.inBuffer(8)) await this.load(8, `${what}[${i}] length`);
      const at = this.offset;
      const n = this.chunk.readBigUInt64LE(at - this.chunkStart);
      this.offset += 8;
      this.skip(this.checkLength(n, at, `${what}[${i}]`, Number.MAX_SAFE_INTEGER), `${what}[${i}]`);
    }
  }

  async scalar(type: GgufValueType, what: string): Promise<GgufScalar> {
    const bytes = await this.bytes(MIN_VALUE_BYTES[type]!, what);
    switch (type) {
      case GgufValueType.Uint8:
        return bytes.readUInt8(0);
      case GgufValueType.Int8:
        return bytes.readInt8(0);
      case GgufValueType.Uint16:
        return bytes.readUInt16LE(0);
      case GgufValueType.Int16:
        return bytes.readInt16LE(0);
      case GgufValueType.Uint32:
        return bytes.readUInt32LE(0);
      case GgufValueType.Int32:
        return bytes.readInt32LE(0);
      case GgufValueType.Float32:
        return bytes.readFloatLE(0);
      case GgufValueType.Bool:
        return bytes.readUInt8(0) !== 0;
      case GgufValueType.Uint64:
        return bytes.readBigUInt64LE(0);
      case GgufValueType.Int64:
        return bytes.readBigInt64LE(0);
      default:
        return bytes.readDoubleLE(0);
    }
  }
}

/** A key or name from the file, quoted and shortened: it may be 64 KiB of anything. */
function quoted(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

function valueType(reader: BoundedReader, raw: number, what: string, at: number): GgufValueType {
  if (MIN_VALUE_BYTES[raw] === undefined)
    reader.fail(`${what} at offset ${at} has unknown value type ${raw} (GGUF defines 0 to 12).`);
  return raw as GgufValueType;
}

async function readEntry(reader: BoundedReader, key: string): Promise<GgufEntry> {
  const what = `metadata ${quoted(key)}`;
  const typeAt = reader.offset;
  const type = valueType(reader, await reader.u32(`${what} type`), what, typeAt);
  if (type === GgufValueType.String) {
    const length = await reader.stringLength(what);
    if (length > MAX_DECODED_STRING_BYTES) {
      reader.skip(length, what);
      return { type, value: null };
    }
    return { type, value: (await reader.bytes(length, what)).toString('utf8') };
  }
  if (type !== GgufValueType.Array) return { type, value: await reader.scalar(type, what) };

  const elementAt = reader.offset;
  const elementType = valueType(
    reader,
    await reader.u32(`${what} element type`),
    `${what} elements`,
    elementAt,
  );
  if (elementType === GgufValueType.Array)
    reader.fail(
      `${what} at offset ${elementAt} is an array of arrays, which GGUF readers (llama.cpp) refuse.`,
    );
  const countAt = reader.offset;
  const count = await reader.u64(`${what} element count`);
  const minBytes = BigInt(MIN_VALUE_BYTES[elementType]!);
  if (count * minBytes > BigInt(reader.remaining))
    reader.fail(
      `${what} at offset ${countAt} claims ${count} ${TYPE_NAMES[elementType]} elements ` +
        `(at least ${count * minBytes} bytes), but only ${reader.remaining} remain in the ${reader.size}-byte file.`,
    );
  if (elementType === GgufValueType.String) await reader.skipStrings(Number(count), what);
  else reader.skip(Number(count * minBytes), what);
  return { type, value: null };
}

async function readTensorInfo(reader: BoundedReader, index: number): Promise<GgufTensorInfo> {
  const what = `tensor ${index}`;
  const name = await reader.string(`${what} name`, MAX_TENSOR_NAME_BYTES);
  const label = `tensor ${index} (${quoted(name)})`;
  const dimsAt = reader.offset;
  const dimensionCount = await reader.u32(`${label} dimension count`);
  if (dimensionCount > MAX_DIMENSIONS)
    reader.fail(
      `${label} at offset ${dimsAt} claims ${dimensionCount} dimensions; ggml has at most ${MAX_DIMENSIONS}.`,
    );
  const dimensions: number[] = [];
  let elements = 1n;
  for (let d = 0; d < dimensionCount; d++) {
    const size = await reader.u64(`${label} dimension ${d}`);
    elements *= size;
    dimensions.push(Number(size));
  }
  // llama.cpp's own bound; past it the byte arithmetic that locates the data overflows.
  if (elements >= 1n << 63n)
    reader.fail(`${label} at offset ${dimsAt} claims ${elements} elements; ggml's limit is 2^63 - 1.`);
  const ggmlType = await reader.u32(`${label} type`);
  const offset = Number(await reader.u64(`${label} data offset`));
  return { name, dimensions, ggmlType, offset };
}

function alignment(reader: BoundedReader, metadata: Map<string, GgufEntry>): number {
  const entry = metadata.get('general.alignment');
  if (!entry) return DEFAULT_ALIGNMENT;
  const value = entry.value;
  if (
    entry.type !== GgufValueType.Uint32 ||
    typeof value !== 'number' ||
    value === 0 ||
    (value & (value - 1)) !== 0
  )
    reader.fail(`general.alignment must be a uint32 power of two; it is ${String(value)}.`);
  return value;
}

/** Parses a GGUF file's header, metadata (arrays skipped) and tensor infos; throws GgufFileError on any lie. */
export async function readGgufHeader(handle: FileHandle, path: string): Promise<GgufHeader> {
  const { size } = await handle.stat();
  const reader = new BoundedReader(handle, path, size);
  if (size < MAGIC.length || !(await reader.bytes(MAGIC.length, 'magic')).equals(MAGIC))
    reader.fail('not a GGUF file (it does not start with "GGUF").');
  const version = await reader.u32('version');
  if (version < 2 || version > 3) reader.fail(`GGUF version ${version}; llama.cpp reads versions 2 and 3.`);

  const tensorCount = await reader.count('tensors', MIN_TENSOR_INFO_BYTES, MAX_TENSORS);
  const kvCount = await reader.count('metadata entries', MIN_KV_BYTES, MAX_KVS);
  const metadata = new Map<string, GgufEntry>();
  for (let i = 0; i < kvCount; i++) {
    const key = await reader.string(`metadata key ${i}`, MAX_KEY_BYTES);
    metadata.set(key, await readEntry(reader, key));
  }
  const tensors: GgufTensorInfo[] = [];
  for (let i = 0; i < tensorCount; i++) tensors.push(await readTensorInfo(reader, i));
  const align = alignment(reader, metadata);
  return { sizeBytes: size, metadata, tensors, dataOffset: Math.ceil(reader.offset / align) * align };
}
