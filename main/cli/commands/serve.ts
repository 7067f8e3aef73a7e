import { fileURLToPath } from 'node:url';
import { ApiError } from '../../api/errors';
import { createEngine } from '../../engine/engine';
import { startWebServer } from '../../engine/transports/webServer';
import { resolveDataDir } from '../../store/dataDir';

export interface ServeOptions {
  port: number;
  host: string;
  dataDir?: string;
  rendererDir?: string;
}

/** The built UI sits next to this bundle: out/node/cli.js → out/renderer. */
function defaultRendererDir(): string {
  return fileURLToPath(new URL('../renderer', import.meta.url));
}

export async function serveCommand(options: ServeOptions): Promise<void> {
  const dataDir = resolveDataDir({ flag: options.dataDir }).path;
  const engine = createEngine({ dataDir, command: 'codepercept serve', loadSample: true });
  let server;
  try {
    server = await startWebServer({
      engine,
      host: options.host,
      port: options.port,
      rendererDir: options.rendererDir ?? defaultRendererDir(),
    });
  } catch (error) {
    await engine.dispose();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ApiError({
        code: 'CONFLICT',
        message: `Port ${options.port} on ${options.host} is already in use.`,
        hint: 'Pass --port N for another port, or --port 0 for any free one.',
      });
    }
    throw error;
  }
  engine.store.lock.update({ url: server.url });
  process.stdout.write(
    `CodePercept Workbench ${engine.version} is serving.\n` +
      `  Open: ${server.url}\n` +
      `  Data: ${dataDir}\n` +
      '  Stop: Ctrl+C (running jobs resume at the next start)\n',
  );
  // A long-lived server logs a stray rejection instead of dying with every connected window.
  process.on('unhandledRejection', (reason) => console.error('[engine] unhandled rejection:', reason));
  const stop = async () => {
    process.stderr.write('Stopping...\n');
    await server.close();
    await engine.dispose();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
