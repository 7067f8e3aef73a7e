import type { ApiClient } from '../api/client';
import { createEngine } from '../engine/engine';
import type { Engine } from '../engine/engine';
import { connectInProcess } from '../engine/inProcessClient';
import type { SandboxPreference } from '../render/renderService';
import { resolveDataDir } from '../store/dataDir';

export interface EngineSession {
  engine: Engine;
  client: ApiClient;
  close(): Promise<void>;
}

/** An engine in this process plus a client on it: every CLI command talks through the same API as the UI. */
export function openEngineSession(
  dataDirFlag: string | undefined,
  command: string,
  options: { runJobs?: boolean; sandbox?: SandboxPreference } = {},
): EngineSession {
  const dataDir = resolveDataDir({ flag: dataDirFlag }).path;
  const engine = createEngine({
    dataDir,
    command,
    runJobs: options.runJobs ?? true,
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    log: (m, e) => console.error(`[engine] ${m}`, ...(e ? [e] : [])),
  });
  const client = connectInProcess(engine);
  return {
    engine,
    client,
    async close() {
      client.close();
      await engine.dispose();
    },
  };
}
