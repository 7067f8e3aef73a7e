// Types for electronTooling.mjs, so the TypeScript smoke test can use it under `strict`.

export interface ElectronLocation {
  version: string;
  /** The executable, or null when it is not installed (then `problem` says why). */
  path: string | null;
  problem: string | null;
}

export const PROJECT_ROOT: string;
export function locateElectron(): ElectronLocation;
export function electronSqliteBindingPath(electronVersion: string): string;
export function checkSqliteBinding(electronPath: string, binding: string): string | null;
export function displayProblem(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): string | null;
export function electronSandboxArgs(): string[];
