import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FolderRow } from './rowMapping';

/** Image files looked for next to `name.py`, in this order. */
const IMAGE_EXTS = ['.png', '.jpg', '.jpeg', '.webp'];

/**
 * A folder batch names its first and last `.py` file (by sorted name), not positions: a file added or removed
 * before a resume shifts no other batch, and every file stays in exactly one batch.
 */
export interface FolderBatch {
  first: string;
  last: string;
}

export function folderBatchKey(batch: FolderBatch): string {
  return `files:${batch.first}/${batch.last}`;
}

export function parseFolderBatchKey(key: string): FolderBatch {
  const m = /^files:([^/]+)\/([^/]+)$/.exec(key);
  if (!m) throw new Error(`Bad import batch key "${key}".`);
  return { first: m[1]!, last: m[2]! };
}

/** Code-unit order, the same on every platform and locale. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function codeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.py'))
    .map((e) => e.name)
    .sort(byName);
}

export async function planFolderBatches(dir: string, perBatch: number): Promise<FolderBatch[]> {
  if (!(await stat(dir)).isDirectory())
    throw new Error(
      `${dir} is a file; --format folder imports a folder of .py files (with optional images and .md captions).`,
    );
  const files = await codeFiles(dir);
  const batches: FolderBatch[] = [];
  for (let i = 0; i < files.length; i += perBatch)
    batches.push({ first: files[i]!, last: files[Math.min(i + perBatch, files.length) - 1]! });
  return batches;
}

export interface FolderEntry {
  /** The `.py` file's name: the row's `file` in error reports. */
  file: string;
  /** The row, or why the files could not be read. */
  row: FolderRow | { field: string; reason: string };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

const NOT_UTF8 = Symbol('not UTF-8');

/** The file's text; null when it does not exist; NOT_UTF8 when its bytes are not UTF-8. */
async function readText(path: string): Promise<string | null | typeof NOT_UTF8> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return NOT_UTF8;
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The batch's `.py` files with their captions and image paths (images are loaded by the row mapping). */
export async function readFolderBatch(dir: string, batch: FolderBatch): Promise<FolderEntry[]> {
  const names = new Set(await readdir(dir));
  const files = (await codeFiles(dir)).filter(
    (f) => byName(f, batch.first) >= 0 && byName(f, batch.last) <= 0,
  );
  const out: FolderEntry[] = [];
  for (const file of files) {
    const stem = file.slice(0, -'.py'.length);
    const code = await readText(join(dir, file));
    if (code === null) continue; // removed since the plan
    if (code === NOT_UTF8) {
      out.push({ file, row: { field: 'code', reason: 'not valid UTF-8' } });
      continue;
    }
    const caption = await readText(join(dir, `${stem}.md`));
    if (caption === NOT_UTF8) {
      out.push({ file, row: { field: 'caption', reason: `${stem}.md is not valid UTF-8` } });
      continue;
    }
    if (code.trim() === '') {
      out.push({ file, row: { field: 'code', reason: 'empty file' } });
      continue;
    }
    const image = IMAGE_EXTS.map((ext) => `${stem}${ext}`).find((n) => names.has(n));
    out.push({
      file,
      // The image by its name in the folder (the loader looks there): reports then say "a.png", not a full path.
      row: { uid: stem, code, caption: caption?.trim() || null, image: image ?? null },
    });
  }
  return out;
}
