import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ApiError } from '../api/errors';
import type { ModelFile } from '../api/models';
import type { SqliteDatabase } from '../store/sqlite';
import { readGgufSummary } from './ggufInspector';
import type { GgufSummary } from './ggufInspector';

/** How deep a models folder is searched: `models/<org>/<repo>/<file>.gguf` is the usual download layout. */
const SCAN_DEPTH = 3;

interface RegisteredModel {
  name: string;
  path: string;
  mmprojPath: string | null;
}

interface CachedSummary {
  mtimeMs: number;
  size: number;
  summary: GgufSummary | null;
  error: string | null;
}

function stemOf(path: string): string {
  return basename(path, extname(path));
}

/**
 * The models the workbench knows: files found in the models folders (`<dataDir>/models` plus folders the user
 * added) and models registered under a name (`models add PATH --name N`), each with its GGUF summary and, for
 * vision models, its projector. Summaries are cached by path, size and mtime, so listing is cheap.
 */
export class ModelRegistry {
  private readonly summaries = new Map<string, CachedSummary>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly defaultFolder: string,
  ) {}

  folders(): string[] {
    const added = this.db
      .prepare('SELECT path FROM model_folders ORDER BY added_at')
      .pluck()
      .all() as string[];
    return [this.defaultFolder, ...added.filter((f) => f !== this.defaultFolder)];
  }

  private registered(): RegisteredModel[] {
    return this.db
      .prepare('SELECT name, path, mmproj_path AS mmprojPath FROM models ORDER BY name')
      .all() as RegisteredModel[];
  }

  addFolder(folder: string): void {
    this.db
      .prepare('INSERT INTO model_folders (path, added_at) VALUES (?, ?) ON CONFLICT (path) DO NOTHING')
      .run(resolve(folder), Date.now());
  }

  /** Registers (or re-registers) a model under a name; checks the files are readable GGUF first. */
  async register(path: string, options: { name?: string; mmprojPath?: string }): Promise<ModelFile> {
    const modelPath = resolve(path);
    const mmprojPath = options.mmprojPath ? resolve(options.mmprojPath) : null;
    const summary = await readGgufSummary(modelPath);
    if (summary.isProjector)
      throw new ApiError({
        code: 'INVALID_PARAMS',
        message: `${modelPath} is a vision projector (mmproj), not a model.`,
        hint: 'Register the language model and pass the projector with --mmproj.',
      });
    if (mmprojPath) await this.checkProjector(mmprojPath, summary);
    const name = options.name ?? stemOf(modelPath);
    this.db
      .prepare(
        `INSERT INTO models (name, path, mmproj_path, added_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET path = excluded.path, mmproj_path = excluded.mmproj_path`,
      )
      .run(name, modelPath, mmprojPath, Date.now());
    return this.resolve(name);
  }

  /** Forgets a registered model or an added folder (files stay on disk). */
  remove(nameOrFolder: string): boolean {
    const byName = this.db.prepare('DELETE FROM models WHERE name = ?').run(nameOrFolder).changes;
    const byFolder = this.db
      .prepare('DELETE FROM model_folders WHERE path = ?')
      .run(resolve(nameOrFolder)).changes;
    return byName + byFolder > 0;
  }

  async list(): Promise<ModelFile[]> {
    const registered = this.registered();
    const byPath = new Map(registered.map((r) => [r.path, r]));
    const paths = new Set<string>(registered.map((r) => r.path));
    for (const folder of this.folders()) for (const file of scanFolder(folder, SCAN_DEPTH)) paths.add(file);
    const files: ModelFile[] = [];
    const ggufPaths = [...paths].filter((p) => p.endsWith('.gguf'));
    const summaries = new Map<string, CachedSummary>();
    for (const p of ggufPaths) summaries.set(p, await this.summary(p));
    for (const p of [...paths].sort()) {
      const reg = byPath.get(p);
      if (p.endsWith('.onnx')) {
        files.push(onnxFile(p, reg));
        continue;
      }
      const cached = summaries.get(p)!;
      const mmprojPath = cached.summary?.isProjector
        ? null
        : (reg?.mmprojPath ?? pairProjector(p, cached.summary, summaries));
      files.push(ggufFile(p, cached, reg, mmprojPath));
    }
    return files;
  }

  /** A model by registered name, path, file name or file stem (unique among the listed files). */
  async resolve(reference: string): Promise<ModelFile> {
    const all = await this.list();
    const registered = all.find((f) => f.registered && f.name === reference);
    if (registered) return registered;
    const asPath = resolve(reference);
    const byPath = all.find((f) => f.path === asPath);
    if (byPath) return byPath;
    if (existsSync(asPath) && statSync(asPath).isFile()) {
      const cached = await this.summary(asPath);
      return ggufFile(asPath, cached, undefined, conventionalProjector(asPath));
    }
    const matches = all.filter((f) => basename(f.path) === reference || stemOf(f.path) === reference);
    if (matches.length === 1) return matches[0]!;
    throw new ApiError({
      code: 'NOT_FOUND',
      message:
        matches.length > 1
          ? `"${reference}" matches ${matches.length} model files; use a path or register one with a name.`
          : `No model named "${reference}".`,
      hint: 'List models with: codepercept models list; register one with: codepercept models add PATH --name N',
    });
  }

  /** The projector must be a projector and feed the model embeddings of its width. */
  async checkProjector(mmprojPath: string, model: GgufSummary): Promise<void> {
    const projector = await readGgufSummary(mmprojPath);
    if (!projector.isProjector)
      throw new ApiError({
        code: 'INVALID_PARAMS',
        message: `${mmprojPath} is not a vision projector (its architecture is ${projector.architecture ?? 'unknown'}).`,
      });
    if (
      projector.projectorOutputWidth !== null &&
      model.embeddingLength !== null &&
      projector.projectorOutputWidth !== model.embeddingLength
    )
      throw new ApiError({
        code: 'INVALID_PARAMS',
        message: `${mmprojPath} produces ${projector.projectorOutputWidth}-wide embeddings but the model expects ${model.embeddingLength}; it belongs to another model.`,
      });
  }

  async summary(path: string): Promise<CachedSummary> {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return { mtimeMs: 0, size: 0, summary: null, error: `${path} does not exist.` };
    }
    const cached = this.summaries.get(path);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
    let entry: CachedSummary;
    try {
      entry = { mtimeMs: stat.mtimeMs, size: stat.size, summary: await readGgufSummary(path), error: null };
    } catch (error) {
      entry = {
        mtimeMs: stat.mtimeMs,
        size: stat.size,
        summary: null,
        error: error instanceof Error ? error.message : String(error),
      };
    }
    this.summaries.set(path, entry);
    return entry;
  }
}

function scanFolder(folder: string, depth: number): string[] {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const e of entries) {
    const path = join(folder, e.name);
    if (e.isDirectory() && depth > 1 && !e.name.startsWith('.')) found.push(...scanFolder(path, depth - 1));
    else if (e.isFile() && /\.(gguf|onnx)$/i.test(e.name)) found.push(resolve(path));
  }
  return found;
}

/** `<model>.mmproj.gguf` or `mmproj-<model>.gguf` next to the model. */
function conventionalProjector(modelPath: string): string | null {
  const dir = dirname(modelPath);
  const stem = stemOf(modelPath);
  for (const candidate of [join(dir, `${stem}.mmproj.gguf`), join(dir, `mmproj-${stem}.gguf`)])
    if (existsSync(candidate)) return candidate;
  return null;
}

/**
 * By name first; otherwise the one projector in the model's folder whose output width equals the model's
 * embedding width (downloads ship `mmproj-F16.gguf` beside several quantizations of one model).
 */
function pairProjector(
  modelPath: string,
  summary: GgufSummary | null,
  summaries: Map<string, CachedSummary>,
): string | null {
  const byName = conventionalProjector(modelPath);
  if (byName) return byName;
  if (!summary?.embeddingLength) return null;
  const dir = dirname(modelPath);
  const projectors = [...summaries].filter(([p, s]) => dirname(p) === dir && s.summary?.isProjector);
  if (projectors.length !== 1) return null;
  const [path, s] = projectors[0]!;
  return s.summary!.projectorOutputWidth === summary.embeddingLength ? path : null;
}

function ggufFile(
  path: string,
  cached: CachedSummary,
  registered: RegisteredModel | undefined,
  mmprojPath: string | null,
): ModelFile {
  const s = cached.summary;
  return {
    name: registered?.name ?? path,
    path,
    format: 'gguf',
    sizeBytes: cached.size,
    registered: registered !== undefined,
    architecture: s?.architecture ?? null,
    parameterCount: s?.parameterCount ?? null,
    quantization: s?.quantization ?? null,
    contextLength: s?.contextLength ?? null,
    hasChatTemplate: s?.hasChatTemplate ?? false,
    mmprojPath,
    vision: mmprojPath !== null,
    isProjector: s?.isProjector ?? false,
    error: cached.error,
  };
}

/** A file deleted between the scan and here is an error row; it must not fail the whole listing. */
function onnxFile(path: string, registered: RegisteredModel | undefined): ModelFile {
  let sizeBytes = 0;
  let error: string | null = null;
  try {
    sizeBytes = statSync(path).size;
  } catch {
    error = `${path} does not exist.`;
  }
  return {
    name: registered?.name ?? path,
    path,
    format: 'onnx',
    sizeBytes,
    registered: registered !== undefined,
    architecture: null,
    parameterCount: null,
    quantization: null,
    contextLength: null,
    hasChatTemplate: false,
    mmprojPath: null,
    vision: false,
    isProjector: false,
    error,
  };
}
