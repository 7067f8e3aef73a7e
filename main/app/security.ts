import { shell } from 'electron';
import type { Session, WebContents } from 'electron';

/**
 * Where the window's page comes from: the electron-vite dev server (`ELECTRON_RENDERER_URL`) or the built
 * `out/renderer/index.html`. Everything the window may navigate to is derived from this one value.
 */
export type RendererSource = { kind: 'devServer'; url: string } | { kind: 'file'; path: string; url: string };

const STRICT_CSP: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'connect-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'style-src': ["'self'", "'unsafe-inline'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * The window's Content-Security-Policy. The dev server needs two holes the built app never gets: Vite's
 * React refresh preamble is an inline script, and hot reload talks over a WebSocket to the dev server.
 */
export function contentSecurityPolicy(source: RendererSource): string {
  const directives = structuredClone(STRICT_CSP);
  if (source.kind === 'devServer') {
    const devOrigin = new URL(source.url);
    directives['script-src']?.push("'unsafe-inline'");
    directives['connect-src']?.push(`ws://${devOrigin.host}`);
  }
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** True for the app's own page (any hash route or query on it), false for everything else. */
export function isAppUrl(source: RendererSource, url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (source.kind === 'devServer') return parsed.origin === new URL(source.url).origin;
  parsed.hash = '';
  parsed.search = '';
  return parsed.href === source.url;
}

/** Only web links leave the app, and only to the system browser; file:, javascript:, custom schemes never. */
export function openInSystemBrowser(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return;
  void shell.openExternal(parsed.href).catch((error: unknown) => {
    console.error(`[main] could not open ${parsed.href} in the system browser:`, error);
  });
}

/**
 * Session-wide defences: the CSP header on every response (the renderer's own <meta> CSP also applies;
 * the stricter of the two wins, and Chromium may not run webRequest for file:// in every version), and
 * no permission for anything. The one exception: a sanitized clipboard write (navigator.clipboard.writeText)
 * from the app's own page, so "copy code" buttons work; reading the clipboard stays denied.
 */
export function secureSession(session: Session, source: RendererSource): void {
  const csp = contentSecurityPolicy(source);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  const allowed = (permission: string, url: string | undefined) =>
    permission === 'clipboard-sanitized-write' && url !== undefined && isAppUrl(source, url);
  session.setPermissionRequestHandler((contents, permission, callback) => {
    callback(allowed(permission, contents.getURL()));
  });
  session.setPermissionCheckHandler((contents, permission) => allowed(permission, contents?.getURL()));
}

/**
 * Per-page defences, applied to every WebContents the app ever creates: no navigation away from the app
 * (web links go to the system browser instead), no new windows, no <webview>.
 */
export function secureWebContents(contents: WebContents, source: RendererSource): void {
  contents.on('will-navigate', (event) => {
    if (isAppUrl(source, event.url)) return;
    event.preventDefault();
    openInSystemBrowser(event.url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    openInSystemBrowser(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
