import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { webSocketChannel } from '../../api/channels';
import type { WebSocketLike } from '../../api/channels';
import type { Engine } from '../engine';

export interface WebServerOptions {
  engine: Engine;
  host: string;
  port: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Fixed token for tests; a fresh random one otherwise. */
  token?: string;
  log?: (message: string) => void;
}

export interface WebServer {
  url: string;
  host: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/**
 * The largest message a client may send. The biggest legitimate one is models.chat carrying a picked image as a
 * data URL (base64, 4/3 the file): this admits the 32 MiB images the media library serves, plus the prompt.
 * A frame declaring more is refused before it is buffered, closing that connection with 1009.
 */
export const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024 * 1024;

const CSP =
  "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data: blob:; " +
  "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}

/** "host:port" from a Host header or URL authority, with IPv6 brackets removed from the host part. */
function splitHostPort(authority: string): { host: string; port: string } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority);
  return { host: (m?.[1] ?? authority).replace(/^\[|\]$/g, ''), port: m?.[2] ?? '' };
}

function sameToken(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Off loopback, spell out what the token grants: whoever shares the URL should know it is as good as a login. */
function exposedHostWarning(host: string): string {
  return [
    `WARNING: serving on ${host}, reachable from other machines. Anyone with the token can, as the user running serve:`,
    '  - run model-written code in the sandbox',
    '  - import any file that user can read as a dataset',
    '  - write test models into any directory that user can write',
    '  - set the Python interpreter the render workers run (any Python that imports matplotlib)',
    'Share the token as you would a login. Prefer the default 127.0.0.1 with an SSH tunnel.',
  ].join('\n');
}

/**
 * `codepercept serve`: the built UI over HTTP and the API over a WebSocket at /rpc. Only a client holding the
 * token may connect, only from a loopback (or, with --host, the server's own) origin, and the Host header is
 * checked so a DNS-rebinding page cannot reach a loopback server.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const rendererDir = resolve(options.rendererDir);
  const loopbackOnly = isLoopbackHost(options.host);
  const log = options.log ?? ((m: string) => console.error(m));
  let port = options.port;

  /** Host headers we answer to: any loopback name on our port, or the configured host when it is not loopback. */
  const hostAllowed = (hostHeader: string | undefined): boolean => {
    if (!hostHeader) return false;
    const { host, port: p } = splitHostPort(hostHeader);
    if (p !== String(port)) return false;
    return (
      isLoopbackHost(host) ||
      (!loopbackOnly && (options.host === '0.0.0.0' || options.host === '::' || host === options.host))
    );
  };

  const originAllowed = (origin: string | undefined, hostHeader: string | undefined): boolean => {
    // Non-browser clients (CLI, scripts) send no Origin; the token alone guards them.
    if (origin === undefined) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.port !== String(port)) return false;
    if (isLoopbackHost(url.hostname)) return true;
    // Served on a non-loopback host: accept the page we served ourselves (same origin), nothing else.
    return !loopbackOnly && url.host === hostHeader;
  };

  const serveFile = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    let rel: string;
    try {
      rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    } catch {
      res.writeHead(400).end('Bad path');
      return;
    }
    let file = join(rendererDir, rel);
    if (file !== rendererDir && !file.startsWith(rendererDir + sep)) {
      res.writeHead(403).end('Forbidden');
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(rendererDir, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`The UI is not built (${rendererDir} is missing). Run: npm run build`);
      return;
    }
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      // The page URL carries the token; never leak it in a Referer.
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': extname(file) === '.html' ? 'no-store' : 'public, max-age=31536000, immutable',
    });
    createReadStream(file).pipe(res);
  };

  const server = createServer((req, res) => {
    if (!hostAllowed(req.headers.host)) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Unexpected Host header');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    serveFile(req, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES });

  const refuse = (socket: Duplex, status: number, reason: string) => {
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${reason}\n`,
    );
  };

  server.on('upgrade', (req, socket, head) => {
    // Node hands over the raw socket without an error listener: a peer that resets while being refused or
    // mid-handshake would raise an unhandled 'error' and end the process. ws listens once the socket is open.
    const onHandshakeError = (error: Error) => {
      log(`[serve] WebSocket handshake aborted: ${error.message}`);
      socket.destroy();
    };
    socket.on('error', onHandshakeError);
    const url = new URL(req.url ?? '/', 'http://placeholder');
    if (url.pathname !== '/rpc') return refuse(socket, 404, 'Not Found');
    if (!hostAllowed(req.headers.host)) return refuse(socket, 421, 'Misdirected Request');
    if (!originAllowed(req.headers.origin, req.headers.host)) return refuse(socket, 403, 'Forbidden origin');
    if (!sameToken(url.searchParams.get('token'), token)) return refuse(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      socket.off('error', onHandshakeError);
      // A bad frame (invalid UTF-8, over the size limit): ws has already sent the close code (1007, 1009) and
      // only needs the error heard, or it would end the process and every other client's connection with it.
      ws.on('error', (error: Error & { code?: string }) =>
        log(`[serve] closed a WebSocket connection: ${error.message} (${error.code ?? 'no code'})`),
      );
      options.engine.connect(webSocketChannel(ws as unknown as WebSocketLike), 'websocket');
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  // Past listen, the server's own errors are failed accepts (EMFILE: out of file descriptors): log, keep serving.
  server.on('error', (error) => log(`[serve] HTTP server error: ${error.message}`));
  const address = server.address();
  if (address && typeof address === 'object') port = address.port;
  if (!loopbackOnly) log(exposedHostWarning(options.host));
  const displayHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const hostPart = isIP(displayHost) === 6 ? `[${displayHost}]` : displayHost;
  return {
    url: `http://${hostPart}:${port}/?token=${token}`,
    host: options.host,
    port,
    token,
    close: () =>
      new Promise<void>((done) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
