import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GgufFileError, readGgufSummary } from '../../main/models/ggufInspector';
import { createRandom } from '../../main/icc/generators/random';
import { writeTinyProjector, writeTinyTextModel } from '../fixtures/tinyGguf';
import {
  GGUF_ARRAY,
  GGUF_STRING,
  GGUF_U32,
  GGUF_U8,
  HeaderBytes,
  hugeArrayGguf,
  manyTensorsGguf,
} from '../fixtures/hostileGguf';
import { makeTempDir } from '../support/tempDir';

describe('readGgufSummary on hostile headers', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());
  let n = 0;

  function file(bytes: Buffer): string {
    const path = join(dir.path, `hostile-${n++}.gguf`);
    writeFileSync(path, bytes);
    return path;
  }

  async function rejection(path: string): Promise<string> {
    const error = await readGgufSummary(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GgufFileError);
    const message = (error as Error).message;
    expect(message.startsWith(`${path}: `), message).toBe(true);
    return message;
  }

  it('a 24-byte file claiming 2^64-1 tensors', async () => {
    const path = file(manyTensorsGguf());
    expect(await rejection(path)).toMatch(
      /header claims 18446744073709551615 tensors, but the file is 24 bytes/,
    );
  });

  it('a 69-byte file with a metadata array claiming 2^61 elements', async () => {
    const bytes = hugeArrayGguf();
    expect(bytes.length).toBe(69);
    expect(await rejection(file(bytes))).toMatch(
      /metadata "k" at offset 41 claims 2305843009213693952 uint8 elements .* but only 20 remain in the 69-byte file/,
    );
  });

  it('a string array whose elements could not fit (8 bytes each at least)', async () => {
    const bytes = HeaderBytes.start(0, 1)
      .string('tokens')
      .u32(GGUF_ARRAY)
      .u32(GGUF_STRING)
      .u64(100)
      .bytes(200);
    expect(await rejection(file(bytes))).toMatch(
      /metadata "tokens" at offset \d+ claims 100 string elements/,
    );
  });

  it('a huge metadata count, against the file size and against the absolute cap', async () => {
    expect(await rejection(file(HeaderBytes.start(0, 2n ** 40n).bytes(100)))).toMatch(
      /header claims 1099511627776 metadata entries, but the file is 100 bytes/,
    );
    // Sparse: 2^21 minimal entries would fit in 32 MiB, but no model has that many keys.
    const path = file(HeaderBytes.start(0, 2 ** 21).bytes());
    truncateSync(path, 32 * 2 ** 20);
    expect(await rejection(path)).toMatch(
      /header claims 2097152 metadata entries .* no model has more than 1048576/,
    );
  });

  it('a key length past the end of the file', async () => {
    const bytes = HeaderBytes.start(0, 1).u64(1000).raw('general.name').bytes();
    expect(await rejection(file(bytes))).toMatch(
      /metadata key 0 at offset 24 claims 1000 bytes, but only 12 remain in the 44-byte file/,
    );
  });

  it('a string value length past the end of the file', async () => {
    const bytes = HeaderBytes.start(0, 1)
      .string('general.name')
      .u32(GGUF_STRING)
      .u64(2n ** 63n)
      .bytes();
    expect(await rejection(file(bytes))).toMatch(
      /metadata "general.name" at offset 48 claims 9223372036854775808 bytes, but only 0 remain/,
    );
  });

  it('nested arrays', async () => {
    const bytes = HeaderBytes.start(0, 1)
      .string('k')
      .u32(GGUF_ARRAY)
      .u32(GGUF_ARRAY)
      .u64(1)
      .u32(GGUF_U8)
      .u64(1)
      .raw('x')
      .bytes();
    expect(await rejection(file(bytes))).toMatch(/metadata "k" at offset 37 is an array of arrays/);
  });

  it('unknown value types, for a value and for array elements', async () => {
    expect(await rejection(file(HeaderBytes.start(0, 1).string('k').u32(13).u64(0).bytes()))).toMatch(
      /metadata "k" at offset 33 has unknown value type 13/,
    );
    expect(
      await rejection(file(HeaderBytes.start(0, 1).string('k').u32(GGUF_ARRAY).u32(99).u64(0).bytes())),
    ).toMatch(/metadata "k" elements at offset 37 has unknown value type 99/);
  });

  it('bad magic, an old version, a file that ends inside the fixed header', async () => {
    expect(await rejection(file(Buffer.alloc(0)))).toMatch(/not a GGUF file/);
    expect(
      await rejection(file(Buffer.from('PK\x03\x04 this is a zip file, not a model', 'latin1'))),
    ).toMatch(/not a GGUF file/);
    expect(await rejection(file(new HeaderBytes().raw('GGUF').u32(1).u64(0).u64(0).bytes()))).toMatch(
      /GGUF version 1; llama.cpp reads versions 2 and 3/,
    );
    expect(await rejection(file(Buffer.from('GGUF\x03\x00\x00\x00', 'latin1')))).toMatch(
      /tensors count at offset 8 needs 8 bytes, but the file ends at 8\. It is cut short/,
    );
  });

  it('a file cut in the middle of a value', async () => {
    const bytes = HeaderBytes.start(0, 1)
      .string('general.alignment')
      .u32(GGUF_U32)
      .raw(Buffer.from([32, 0]))
      .bytes();
    expect(await rejection(file(bytes))).toMatch(
      /metadata "general.alignment" at offset 53 needs 4 bytes, but the file ends at 55/,
    );
  });

  it('tensor infos: too many dimensions, a name longer than llama.cpp allows, a bad alignment', async () => {
    const dims = HeaderBytes.start(1, 0).string('w').u32(5);
    for (let d = 0; d < 5; d++) dims.u64(2);
    expect(await rejection(file(dims.u32(0).u64(0).bytes()))).toMatch(
      /tensor 0 \("w"\) at offset 33 claims 5 dimensions; ggml has at most 4/,
    );
    const long = HeaderBytes.start(1, 0).string('x'.repeat(64)).u32(1).u64(1).u32(0).u64(0);
    expect(await rejection(file(long.bytes()))).toMatch(
      /tensor 0 name at offset 24 is 64 bytes long; the limit is 63/,
    );
    const align = HeaderBytes.start(0, 1).string('general.alignment').u32(GGUF_U32).u32(24);
    expect(await rejection(file(align.bytes()))).toMatch(
      /general.alignment must be a uint32 power of two; it is 24/,
    );
  });

  it('a tensor whose element count overflows', async () => {
    const bytes = HeaderBytes.start(1, 0)
      .string('w')
      .u32(2)
      .u64(2n ** 32n)
      .u64(2n ** 31n)
      .u32(0)
      .u64(0);
    expect(await rejection(file(bytes.bytes()))).toMatch(
      /tensor 0 \("w"\) at offset 33 claims 9223372036854775808 elements/,
    );
  });

  it('a tensor whose data lies past the end of the file', async () => {
    const bytes = HeaderBytes.start(1, 0).string('w').u32(2).u64(1024).u64(1024).u32(0).u64(0).bytes(96);
    await expect(readGgufSummary(file(bytes))).rejects.toThrow(
      /is incomplete: tensor w needs bytes up to 4194400/,
    );
  });
});

describe('readGgufSummary on a header larger than its read buffer', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());

  it('skips a 2 MiB string and a 300k-string array across chunks and still finds what it shows', async () => {
    const tokens = 300_000;
    const header = HeaderBytes.start(1, 5)
      .string('tokenizer.huggingface.json')
      .u32(GGUF_STRING)
      .string('x'.repeat(2 * 2 ** 20))
      .string('tokenizer.ggml.tokens')
      .u32(GGUF_ARRAY)
      .u32(GGUF_STRING)
      .u64(tokens);
    for (let i = 0; i < tokens; i++) header.string(`tok${i}`);
    header
      .string('general.architecture')
      .u32(GGUF_STRING)
      .string('llama')
      .string('llama.context_length')
      .u32(GGUF_U32)
      .u32(8192)
      .string('tokenizer.chat_template')
      .u32(GGUF_STRING)
      .string('{{ messages }}')
      .string('output.weight')
      .u32(2)
      .u64(4)
      .u64(4)
      .u32(0)
      .u64(0);
    const head = header.bytes();
    const dataOffset = Math.ceil(head.length / 32) * 32;
    const path = join(dir.path, 'big-header.gguf');
    writeFileSync(path, Buffer.concat([head, Buffer.alloc(dataOffset - head.length + 16 * 4)]));
    expect(await readGgufSummary(path)).toMatchObject({
      architecture: 'llama',
      contextLength: 8192,
      hasChatTemplate: true,
      parameterCount: 16,
    });
  });
});

describe('readGgufSummary on real (generated) files', () => {
  const dir = makeTempDir();
  const text = join(dir.path, 'tiny-text.gguf');
  const projector = join(dir.path, 'mmproj-tiny.gguf');
  beforeAll(() => {
    writeTinyTextModel(text);
    writeTinyProjector(projector);
  });
  afterAll(() => dir.cleanup());

  it("agrees with node-llama-cpp's reader on a text model and a projector", async () => {
    for (const path of [text, projector]) {
      const summary = await readGgufSummary(path);
      const info = await readGgufFileInfo(path, { logWarnings: false, spliceSplitFiles: false });
      const arch = info.architectureMetadata as { context_length?: number; embedding_length?: number };
      expect(summary).toMatchObject({
        architecture: info.metadata.general.architecture,
        parameterCount: (info.tensorInfo ?? []).reduce(
          (sum, t) => sum + t.dimensions.reduce<number>((a, d) => a * Number(d), 1),
          0,
        ),
        contextLength: arch.context_length ?? null,
        embeddingLength: arch.embedding_length ?? null,
        hasChatTemplate: typeof info.metadata.tokenizer?.chat_template === 'string',
      });
    }
    expect(await readGgufSummary(text)).toMatchObject({
      architecture: 'llama',
      quantization: 'F32',
      contextLength: 4096,
      hasChatTemplate: true,
      isProjector: false,
    });
    expect(await readGgufSummary(projector)).toMatchObject({ isProjector: true, architecture: 'clip' });
  });

  it('a header cut anywhere is refused; a corrupted header byte gives a summary or a GgufFileError', async () => {
    const whole = readFileSync(text);
    const info = await readGgufFileInfo(text, { logWarnings: false, spliceSplitFiles: false });
    // Corruption stays inside the header: metadata and tensor infos.
    const dataOffset = info.infoEndOffset ?? 0;
    const broken = join(dir.path, 'broken.gguf');
    const random = createRandom(12);
    const variants = [
      // Every 7th byte: a step prime to 8 cuts each u32/u64 field at every position over the header.
      ...Array.from({ length: Math.ceil(dataOffset / 7) }, (_, i) => ({
        at: i * 7,
        bytes: whole.subarray(0, i * 7),
        cut: true,
      })),
      ...Array.from({ length: 300 }, () => {
        const at = random.int(0, dataOffset - 1);
        const bytes = Buffer.from(whole);
        bytes[at] = random.int(0, 255);
        return { at, bytes, cut: false };
      }),
    ];
    for (const { at, bytes, cut } of variants) {
      writeFileSync(broken, bytes);
      const outcome = await readGgufSummary(broken).then(
        () => 'ok',
        (e: unknown) => e,
      );
      if (cut || outcome !== 'ok')
        expect(outcome, `byte ${at} of ${bytes.length}`).toBeInstanceOf(GgufFileError);
    }
  });
});
