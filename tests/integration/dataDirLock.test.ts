import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../main/api/errors';
import { createEngine } from '../../main/engine/engine';
import { startServe } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';

const quiet = { log: () => {}, environmentChecks: async () => [] };

describe('one engine per data dir', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());

  it('refuses a second engine in the same process with DATA_DIR_LOCKED, and frees the dir on dispose', async () => {
    const first = createEngine({ dataDir: dir.path, command: 'first engine', ...quiet });
    let error: unknown;
    try {
      createEngine({ dataDir: dir.path, command: 'second engine', ...quiet });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('DATA_DIR_LOCKED');
    expect((error as ApiError).message).toContain('first engine');
    await first.dispose();
    const again = createEngine({ dataDir: dir.path, command: 'third engine', ...quiet });
    await again.dispose();
  });

  it('refuses an engine while `codepercept serve` holds the dir, naming its pid and URL', async () => {
    const serve = await startServe(dir.path);
    try {
      let error: ApiError | undefined;
      try {
        createEngine({ dataDir: dir.path, command: 'cli', ...quiet });
      } catch (e) {
        error = e as ApiError;
      }
      expect(error?.code).toBe('DATA_DIR_LOCKED');
      expect(error?.message).toContain(`process ${serve.child.pid}`);
      expect(error?.hint).toContain(serve.url);
    } finally {
      await serve.stop();
    }
  });
});
