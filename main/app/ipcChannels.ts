/**
 * The one IPC channel between main and a window: main sends the engine's MessagePort on it, and the preload
 * re-posts it to the page under the same name (renderer/src/api/connectEngine.ts listens for that name).
 */
export const ENGINE_PORT_CHANNEL = 'codepercept:engine-port';
