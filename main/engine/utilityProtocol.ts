/** Messages between the Electron main process and the engine's utilityProcess (the only non-API channel). */
export type MainToEngine = { type: 'connect' } | { type: 'shutdown' };

export type EngineToMain =
  | { type: 'ready'; dataDir: string; version: string }
  | { type: 'fatal'; code: string; message: string; hint?: string };
