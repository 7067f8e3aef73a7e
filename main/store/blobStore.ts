import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SqliteDatabase } from './sqlite';

export interface BlobRef {
  sha256: string;
  ext: string;
  bytes: number;
  path: string;
}

const EXT = /^[a-z0-9]{1,8}$/;

/** Content-addressed files under `blobs/ab/cd/<sha256>.<ext>`; identical images are stored once. */
export class BlobStore {
  constructor(
    private readonly root: string,
    private readonly db: SqliteDatabase,
  ) {}

  pathFor(sha256: string, ext: string): string {
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), `${sha256}.${ext}`);
  }

  put(data: Uint8Array, ext: string, dims: { width?: number; height?: number } = {}): BlobRef {
    if (!EXT.test(ext)) throw new Error(`Blob extension "${ext}" must be 1–8 lowercase letters or digits.`);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const path = this.pathFor(sha256, ext);
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      // Write-then-rename: a crash leaves a stray temp file, never a truncated blob under its final name.
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, data);
      renameSync(tmp, path);
    }
    this.db
      .prepare(
        'INSERT OR IGNORE INTO blobs (sha256, ext, bytes, width, height, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(sha256, ext, data.byteLength, dims.width ?? null, dims.height ?? null, Date.now());
    return { sha256, ext, bytes: data.byteLength, path };
  }

  read(sha256: string): Buffer {
    const row = this.db.prepare('SELECT ext FROM blobs WHERE sha256 = ?').get(sha256) as
      { ext: string } | undefined;
    if (!row) throw new Error(`No blob ${sha256} in the store.`);
    return readFileSync(this.pathFor(sha256, row.ext));
  }

  has(sha256: string): boolean {
    return this.db.prepare('SELECT 1 FROM blobs WHERE sha256 = ?').get(sha256) !== undefined;
  }
}
