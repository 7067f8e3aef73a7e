import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openWorkbenchStore } from '../../main/store/workbenchStore';
import { makeTempDir } from '../support/tempDir';

describe('BlobStore', () => {
  const dir = makeTempDir();
  const store = openWorkbenchStore(dir.path, 'blob test');
  afterAll(() => {
    store.close();
    dir.cleanup();
  });

  it('stores bytes under blobs/ab/cd/<sha256>.<ext> and reads them back', () => {
    const data = Buffer.from('a tiny png stand-in');
    const ref = store.blobs.put(data, 'png', { width: 3, height: 2 });
    // sha256 of the bytes above, computed independently with `sha256sum`.
    expect(ref.sha256).toBe('1ddab7dde5f8a0408e08b3bafd7555b9c9cfd88470b4078e3d895f5a40d710a5');
    expect(ref.path).toBe(
      join(dir.path, 'blobs', ref.sha256.slice(0, 2), ref.sha256.slice(2, 4), `${ref.sha256}.png`),
    );
    expect(readFileSync(ref.path)).toEqual(data);
    expect(store.blobs.read(ref.sha256)).toEqual(data);
    expect(store.blobs.has(ref.sha256)).toBe(true);
  });

  it('deduplicates identical content', () => {
    const a = store.blobs.put(Buffer.from('same'), 'png');
    const b = store.blobs.put(Buffer.from('same'), 'png');
    expect(a).toEqual(b);
    const count = store.db.prepare('SELECT COUNT(*) AS n FROM blobs WHERE sha256 = ?').get(a.sha256) as {
      n: number;
    };
    expect(count.n).toBe(1);
    expect(readdirSync(join(dir.path, 'blobs', a.sha256.slice(0, 2), a.sha256.slice(2, 4)))).toEqual([
      `${a.sha256}.png`,
    ]);
  });

  it('rejects an extension that could escape the folder', () => {
    expect(() => store.blobs.put(Buffer.from('x'), '../evil')).toThrow(/extension/);
  });
});
