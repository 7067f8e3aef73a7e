import WebSocket from 'ws';
import { webSocketChannel } from '../../main/api/channels';
import type { WebSocketLike } from '../../main/api/channels';
import { createApiClient } from '../../main/api/client';
import type { ApiClient } from '../../main/api/client';

/** Opens a WebSocket to a serve instance and wraps it in the same API client the UI uses. */
export async function connectWebSocket(
  port: number,
  token: string,
  headers: Record<string, string> = {},
): Promise<ApiClient> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/rpc?token=${token}`, { headers });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return createApiClient(webSocketChannel(socket as unknown as WebSocketLike));
}
