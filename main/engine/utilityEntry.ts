import { messagePortChannel } from '../api/channels';
import type { MessagePortLike } from '../api/channels';
import { toApiErrorData } from '../api/errors';
import { resolveDataDir } from '../store/dataDir';
import { createEngine } from './engine';
import type { EngineToMain, MainToEngine } from './utilityProtocol';

/**
 * The engine inside the desktop app: an Electron utilityProcess. The window's MessagePort arrives from the
 * main process; after that, API traffic goes straight between window and engine, never through main.
 */
interface ParentPort {
  postMessage(message: EngineToMain): void;
  on(event: 'message', listener: (event: { data: MainToEngine; ports: MessagePortLike[] }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  console.error('engine.js runs inside the desktop app. For a headless engine use: codepercept serve');
  process.exit(2);
}

const flag = process.argv.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length);
const dataDir = resolveDataDir({ flag }).path;

try {
  const engine = createEngine({ dataDir, command: 'CodePercept desktop app' });
  parentPort.on('message', (event) => {
    if (event.data?.type === 'connect' && event.ports[0]) {
      engine.connect(messagePortChannel(event.ports[0]), 'messageport');
    }
  });
  const shutdown = () => void engine.dispose().finally(() => process.exit(0));
  process.on('SIGTERM', shutdown);
  parentPort.postMessage({ type: 'ready', dataDir, version: engine.version });
} catch (error) {
  const data = toApiErrorData(error);
  parentPort.postMessage({
    type: 'fatal',
    code: data.code,
    message: data.message,
    ...(data.hint ? { hint: data.hint } : {}),
  });
  process.exit(1);
}
