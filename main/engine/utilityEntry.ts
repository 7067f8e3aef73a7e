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
  const engine = createEngine({ dataDir, command: 'CodePercept desktop app', loadSample: true });
  const shutdown = () => void engine.dispose().finally(() => process.exit(0));
  parentPort.on('message', (event) => {
    if (event.data?.type === 'connect' && event.ports[0]) {
      engine.connect(messagePortChannel(event.ports[0]), 'messageport');
    } else if (event.data?.type === 'shutdown') {
      // A message rather than a signal: on Windows kill() is a hard kill and running jobs would not be parked.
      shutdown();
    }
  });
  process.on('SIGTERM', shutdown);
  process.on('unhandledRejection', (reason) => console.error('[engine] unhandled rejection:', reason));
  parentPort.postMessage({ type: 'ready', dataDir, version: engine.version });
} catch (error) {
  const data = toApiErrorData(error);
  console.error(`[engine] cannot start: ${data.message}${data.hint ? `\n  ${data.hint}` : ''}`);
  parentPort.postMessage({
    type: 'fatal',
    code: data.code,
    message: data.message,
    ...(data.hint ? { hint: data.hint } : {}),
  });
  // Give the message time to leave before the process ends, or main sees only "stopped unexpectedly".
  setTimeout(() => process.exit(1), 200);
}
