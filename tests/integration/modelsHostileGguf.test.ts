import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelFile } from '../../main/api/models';
import { hugeArrayGguf, manyTensorsGguf } from '../fixtures/hostileGguf';
import { writeTinyTextModel } from '../fixtures/tinyGguf';
import { codepercept } from '../support/cli';
import { startServe } from '../support/serveProcess';
import type { ServeProcess } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';
import { connectWebSocket } from '../support/wsClient';

/**
 * A models folder with a good tiny model beside files that lie about themselves (issue 12): the old header
 * parser looped for minutes on the first and killed `serve` (V8 out of memory) on the second. Listing must
 * show the good model and each bad file as an error row, through the CLI and through serve's API.
 */
describe('models list with hostile GGUF files beside a good one', () => {
  const dir = makeTempDir();
  const dataDir = join(dir.path, 'data');
  const modelsDir = join(dataDir, 'models');
  const running: ServeProcess[] = [];
  const expected: Record<string, RegExp> = {
    'many-tensors.gguf': /header claims 18446744073709551615 tensors, but the file is 24 bytes/,
    'huge-array.gguf': /metadata "k" at offset 41 claims 2305843009213693952 uint8 elements/,
    'not-a-model.gguf': /not a GGUF file/,
  };

  beforeAll(() => {
    mkdirSync(modelsDir, { recursive: true });
    writeTinyTextModel(join(modelsDir, 'good.gguf'));
    writeFileSync(join(modelsDir, 'many-tensors.gguf'), manyTensorsGguf());
    writeFileSync(join(modelsDir, 'huge-array.gguf'), hugeArrayGguf());
    writeFileSync(join(modelsDir, 'not-a-model.gguf'), 'a text file someone renamed');
  });
  afterAll(async () => {
    for (const s of running) await s.stop();
    dir.cleanup();
  });

  function checkListing(files: ModelFile[]): void {
    const byFile = (name: string) => files.find((f) => f.path === join(modelsDir, name));
    expect(byFile('good.gguf')).toMatchObject({ architecture: 'llama', quantization: 'F32', error: null });
    for (const [name, message] of Object.entries(expected)) {
      const row = byFile(name);
      expect(row, name).toMatchObject({ format: 'gguf', architecture: null });
      expect(row!.error, name).toMatch(message);
    }
  }

  it('the CLI lists the good model and the bad files as error rows, and exits 0', async () => {
    const json = await codepercept(['models', 'list', '--json', '--data-dir', dataDir], 30_000);
    expect(json.code, json.stderr).toBe(0);
    checkListing(JSON.parse(json.stdout) as ModelFile[]);

    const table = await codepercept(['models', 'list', '--data-dir', dataDir], 30_000);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines.find((l) => l.includes('good.gguf'))).toMatch(/llama/);
    for (const [name, message] of Object.entries(expected))
      expect(lines.find((l) => l.includes(`${name} `))).toMatch(message);
  }, 60_000);

  it('serve answers models.list with the same rows and keeps running', async () => {
    const serve = await startServe(dataDir);
    running.push(serve);
    const client = await connectWebSocket(serve.port, serve.token);
    try {
      checkListing(await client.call('models.list', {}));
      // Listed again from the registry's cache, with the engine still there to answer.
      checkListing(await client.call('models.list', {}));
    } finally {
      client.close();
    }
    expect(serve.child.exitCode).toBeNull();
  }, 60_000);
});
