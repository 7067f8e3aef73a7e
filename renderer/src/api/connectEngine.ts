import { messagePortChannel, webSocketChannel } from '../../../main/api/channels';
import { createApiClient } from '../../../main/api/client';
import type { ApiClient } from '../../../main/api/client';
import type { Channel } from '../../../main/api/protocol';
import { rpcSocketUrl, takeAccessToken } from './accessToken';
import { describeError } from './describeError';

export type TransportKind = 'messageport' | 'websocket';

export interface EngineConnection {
  client: ApiClient;
  transport: TransportKind;
  engineVersion: string;
}

export type ConnectFailureReason = 'no-token' | 'refused' | 'timeout' | 'handshake' | 'closed';

/** Why the UI has no engine, worded for the full-page error; `hint` says what to do about it. */
export class ConnectFailure extends Error {
  constructor(
    readonly reason: ConnectFailureReason,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'ConnectFailure';
  }
}

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the UI is served by `codepercept serve`. */
    codepercept?: { transport: 'messageport' };
  }
}

const ENGINE_PORT_MESSAGE = 'codepercept:engine-port';
const CONNECT_TIMEOUT_MS = 10_000;

export function activeTransport(): TransportKind {
  return window.codepercept?.transport === 'messageport' ? 'messageport' : 'websocket';
}

let enginePort: Promise<MessagePort> | null = null;

/**
 * The preload forwards the engine's MessagePort once, with window.postMessage. Listening starts when this
 * module loads (before React renders) so the port is not missed, and the promise keeps it for later callers.
 */
function waitForEnginePort(): Promise<MessagePort> {
  enginePort ??= new Promise((resolve) => {
    const onMessage = (event: MessageEvent) => {
      const port = event.ports[0];
      if (event.data !== ENGINE_PORT_MESSAGE || !port) return;
      window.removeEventListener('message', onMessage);
      resolve(port);
    };
    window.addEventListener('message', onMessage);
  });
  return enginePort;
}

if (activeTransport() === 'messageport') void waitForEnginePort();

function withTimeout<T>(promise: Promise<T>, failure: () => ConnectFailure): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(failure()), CONNECT_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function messagePortEngineChannel(): Promise<Channel> {
  const port = await withTimeout(
    waitForEnginePort(),
    () =>
      new ConnectFailure(
        'timeout',
        'The desktop app did not hand this window a connection to the engine.',
        'Reload the window (Ctrl+R); if it persists, restart the app and check its log.',
      ),
  );
  return messagePortChannel(port);
}

function openSocket(url: string): Promise<WebSocket> {
  const refused = new ConnectFailure(
    'refused',
    'The engine refused the connection or is not running.',
    'Check that codepercept serve is still running. If it was restarted, open the new URL it printed: the access token changes on every start.',
  );
  return withTimeout(
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.addEventListener('open', () => resolve(socket), { once: true });
      socket.addEventListener('close', () => reject(refused), { once: true });
    }),
    () => new ConnectFailure('timeout', 'The engine did not answer within 10 seconds.', refused.hint),
  );
}

async function webSocketEngineChannel(): Promise<Channel> {
  const token = takeAccessToken({
    location: window.location,
    history: window.history,
    storage: window.sessionStorage,
  });
  if (!token) {
    throw new ConnectFailure(
      'no-token',
      'This page was opened without an access token.',
      'Open the full URL that codepercept serve printed, including its ?token=… part.',
    );
  }
  return webSocketChannel(await openSocket(rpcSocketUrl(window.location, token)));
}

/** Connects over whichever transport this page was given and confirms both ends speak the same protocol. */
export async function connectEngine(): Promise<EngineConnection> {
  const transport = activeTransport();
  const channel =
    transport === 'messageport' ? await messagePortEngineChannel() : await webSocketEngineChannel();
  const client = createApiClient(channel);
  try {
    const { engineVersion } = await withTimeout(
      client.hello(),
      () =>
        new ConnectFailure(
          'timeout',
          'The engine accepted the connection but did not answer the handshake.',
          'Restart the engine.',
        ),
    );
    return { client, transport, engineVersion };
  } catch (error) {
    client.close();
    if (error instanceof ConnectFailure) throw error;
    const { message, hint } = describeError(error);
    throw new ConnectFailure('handshake', message, hint ?? 'Rebuild (npm run build) and restart the engine.');
  }
}
