import { createHash } from 'node:crypto';
import { RenderService } from '../../../main/render/renderService';
import type { SandboxPreference } from '../../../main/render/renderService';
import { openWorkbenchStore } from '../../../main/store/workbenchStore';
import type { WorkbenchStore } from '../../../main/store/workbenchStore';
import { makeTempDir } from '../../support/tempDir';

export interface RenderHarness {
  store: WorkbenchStore;
  service: RenderService;
  close(): Promise<void>;
}

/** A real store and a real render service (real Python workers) on a temp data dir. */
export function openRenderHarness(sandbox: SandboxPreference, poolSize = 1): RenderHarness {
  const dir = makeTempDir('codepercept-render-');
  const store = openWorkbenchStore(dir.path, `render test (${sandbox})`);
  const service = new RenderService({ store, pythonPath: () => null, poolSize, sandbox, log: () => {} });
  return {
    store,
    service,
    async close() {
      await service.dispose();
      store.close();
      dir.cleanup();
    },
  };
}

export const SIMPLE_PLOT = 'import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [1, 4, 9])\n';

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
