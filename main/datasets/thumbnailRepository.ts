import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../store/sqlite';
import type { Thumbnail } from './imageDecoder';

/** The `thumbnails` table: one small WebP per distinct image (by sha256). */
export class ThumbnailRepository {
  private readonly getStatement: Statement;
  private readonly hasStatement: Statement;
  private readonly putStatement: Statement;

  constructor(db: SqliteDatabase) {
    this.getStatement = db.prepare('SELECT width, height, mime, data FROM thumbnails WHERE sha256 = ?');
    this.hasStatement = db.prepare('SELECT 1 FROM thumbnails WHERE sha256 = ?');
    this.putStatement = db.prepare(
      'INSERT OR IGNORE INTO thumbnails (sha256, width, height, mime, data) VALUES (?, ?, ?, ?, ?)',
    );
  }

  get(sha256: string): Thumbnail | null {
    return (this.getStatement.get(sha256) as Thumbnail | undefined) ?? null;
  }

  /** A thumbnail exists only for an image that decoded: its presence means "already validated". */
  has(sha256: string): boolean {
    return this.hasStatement.get(sha256) !== undefined;
  }

  put(sha256: string, thumbnail: Thumbnail): void {
    this.putStatement.run(sha256, thumbnail.width, thumbnail.height, thumbnail.mime, thumbnail.data);
  }
}
