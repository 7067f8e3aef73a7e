import { contextBridge, ipcRenderer } from 'electron';
import { ENGINE_PORT_CHANNEL } from './ipcChannels';

/**
 * The whole bridge between the sandboxed page and Electron: a flag saying which transport to use, and the
 * engine's MessagePort. Ports cannot cross contextBridge, so the port is handed to the page with
 * window.postMessage (Electron's documented pattern); after that the page talks to the engine directly.
 */

contextBridge.exposeInMainWorld('codepercept', { transport: 'messageport' });

ipcRenderer.on(ENGINE_PORT_CHANNEL, (event) => {
  window.postMessage(ENGINE_PORT_CHANNEL, '*', event.ports);
});
