/** Replaced at build time by the bundlers; falls back for tests that run the TypeScript directly. */
declare const __CODEPERCEPT_VERSION__: string | undefined;

export const engineVersion: string =
  typeof __CODEPERCEPT_VERSION__ === 'string'
    ? __CODEPERCEPT_VERSION__
    : (process.env.npm_package_version ?? '0.0.0-dev');
