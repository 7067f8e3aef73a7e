import { openSync, writeSync, closeSync } from 'node:fs';
import { GgufValueType as ValueType } from '../ggufHeader';

/**
 * A minimal GGUF v3 writer: header, metadata key/values, tensor infos, then the tensor data aligned to
 * `general.alignment` (32). Enough to write test models; real models come from llama.cpp's converters.
 */

const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
const GGUF_VERSION = 3;
export const GGUF_ALIGNMENT = 32;

/** The ggml tensor types this writer produces. */
export const enum GgmlTensorType {
  F32 = 0,
  F16 = 1,
}

export type MetadataValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'string[]'; value: string[] }
  | { type: 'f32[]'; value: ArrayLike<number> }
  | { type: 'i32[]'; value: ArrayLike<number> };

export interface TensorSpec {
  name: string;
  /** ggml order: the fastest-varying dimension first. */
  shape: number[];
  type: GgmlTensorType;
  /** Fills the tensor's elements (row-major in ggml order); called once per tensor while writing. */
  fill: (out: Float32Array) => void;
}

/** Grows a byte buffer for the header part (metadata and tensor infos are small). */
class ByteSink {
  private buf = Buffer.alloc(1 << 16);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u32(v: number): void {
    this.reserve(4);
    this.buf.writeUInt32LE(v, this.length);
    this.length += 4;
  }
  i32(v: number): void {
    this.reserve(4);
    this.buf.writeInt32LE(v, this.length);
    this.length += 4;
  }
  u64(v: number): void {
    this.reserve(8);
    this.buf.writeBigUInt64LE(BigInt(v), this.length);
    this.length += 8;
  }
  f32(v: number): void {
    this.reserve(4);
    this.buf.writeFloatLE(v, this.length);
    this.length += 4;
  }
  u8(v: number): void {
    this.reserve(1);
    this.buf.writeUInt8(v, this.length);
    this.length += 1;
  }
  string(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.reserve(bytes.length);
    bytes.copy(this.buf, this.length);
    this.length += bytes.length;
  }
  pad(alignment: number): void {
    const n = (alignment - (this.length % alignment)) % alignment;
    this.reserve(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
  }
  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

function writeValue(sink: ByteSink, value: MetadataValue): void {
  switch (value.type) {
    case 'u32':
      sink.u32(ValueType.Uint32);
      sink.u32(value.value);
      return;
    case 'i32':
      sink.u32(ValueType.Int32);
      sink.i32(value.value);
      return;
    case 'f32':
      sink.u32(ValueType.Float32);
      sink.f32(value.value);
      return;
    case 'bool':
      sink.u32(ValueType.Bool);
      sink.u8(value.value ? 1 : 0);
      return;
    case 'string':
      sink.u32(ValueType.String);
      sink.string(value.value);
      return;
    case 'string[]':
      sink.u32(ValueType.Array);
      sink.u32(ValueType.String);
      sink.u64(value.value.length);
      for (const s of value.value) sink.string(s);
      return;
    case 'f32[]':
      sink.u32(ValueType.Array);
      sink.u32(ValueType.Float32);
      sink.u64(value.value.length);
      for (let i = 0; i < value.value.length; i++) sink.f32(value.value[i]!);
      return;
    case 'i32[]':
      sink.u32(ValueType.Array);
      sink.u32(ValueType.Int32);
      sink.u64(value.value.length);
      for (let i = 0; i < value.value.length; i++) sink.i32(value.value[i]!);
      return;
  }
}

function elementCount(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function bytesPerElement(type: GgmlTensorType): number {
  return type === GgmlTensorType.F16 ? 2 : 4;
}

const f32View = new Float32Array(1);
const u32View = new Uint32Array(f32View.buffer);

/** IEEE 754 half from a float (round to nearest; enough for random weights in a small range). */
function toHalf(value: number): number {
  f32View[0] = value;
  const x = u32View[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mantissa = x & 0x7fffff;
  if (exp <= 0) return sign; // flush tiny values to zero
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | ((mantissa + 0x1000) >>> 13);
}

function encodeTensor(spec: TensorSpec): Buffer {
  const values = new Float32Array(elementCount(spec.shape));
  spec.fill(values);
  if (spec.type === GgmlTensorType.F32)
    return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const halves = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) halves[i] = toHalf(values[i]!);
  return Buffer.from(halves.buffer);
}

/**
 * Writes a GGUF v3 file. `truncateTo` cuts the file after that many bytes (for malformed-file tests).
 * Tensors are generated and written one at a time, so a 50 MB model never sits in memory twice.
 */
export function writeGguf(
  path: string,
  metadata: Record<string, MetadataValue>,
  tensors: TensorSpec[],
  options: { truncateTo?: number } = {},
): { bytes: number } {
  const head = new ByteSink();
  head.u32(GGUF_MAGIC);
  head.u32(GGUF_VERSION);
  head.u64(tensors.length);
  head.u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    head.string(key);
    writeValue(head, value);
  }
  let offset = 0;
  for (const t of tensors) {
    head.string(t.name);
    head.u32(t.shape.length);
    for (const d of t.shape) head.u64(d);
    head.u32(t.type);
    head.u64(offset);
    const size = elementCount(t.shape) * bytesPerElement(t.type);
    offset += size + ((GGUF_ALIGNMENT - (size % GGUF_ALIGNMENT)) % GGUF_ALIGNMENT);
  }
  head.pad(GGUF_ALIGNMENT);

  const limit = options.truncateTo ?? Number.POSITIVE_INFINITY;
  let written = 0;
  const fd = openSync(path, 'w');
  const write = (chunk: Buffer) => {
    const room = limit - written;
    if (room <= 0) return;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    writeSync(fd, part);
    written += part.length;
  };
  try {
    write(head.bytes());
    const zeros = Buffer.alloc(GGUF_ALIGNMENT);
    for (const t of tensors) {
      const data = encodeTensor(t);
      write(data);
      const padding = (GGUF_ALIGNMENT - (data.length % GGUF_ALIGNMENT)) % GGUF_ALIGNMENT;
      if (padding > 0) write(zeros.subarray(0, padding));
    }
  } finally {
    closeSync(fd);
  }
  return { bytes: written };
}
