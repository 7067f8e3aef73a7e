const TOKEN_KEY = 'codepercept.token';

export interface TokenEnvironment {
  location: Pick<Location, 'href'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * The `serve` access token: taken from `?token=` once, kept in sessionStorage so reloads keep working, and
 * removed from the visible URL so it does not end up in screenshots, bookmarks or shared links.
 */
export function takeAccessToken(env: TokenEnvironment): string | null {
  const url = new URL(env.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    env.storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    env.history.replaceState(env.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  return env.storage.getItem(TOKEN_KEY);
}

/** The RPC endpoint on the page's own origin (wss when the page came over https, e.g. a TLS proxy). */
export function rpcSocketUrl(location: Pick<Location, 'protocol' | 'host'>, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/rpc?token=${encodeURIComponent(token)}`;
}
