import Database from 'better-sqlite3';

/**
 * Opens a better-sqlite3 database. The desktop app's engine runs under Electron's ABI, so `npm start` builds a
 * separate native module and names it in CODEPERCEPT_SQLITE_BINDING; plain Node uses the package's own build.
 */
export function openSqlite(path: string, options: { readonly?: boolean } = {}): Database.Database {
  const nativeBinding = process.env.CODEPERCEPT_SQLITE_BINDING;
  return new Database(path, {
    readonly: options.readonly ?? false,
    ...(nativeBinding ? { nativeBinding } : {}),
  });
}

export type SqliteDatabase = Database.Database;
