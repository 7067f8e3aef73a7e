import { useEffect, useState } from 'react';
import type { ApiClient } from '../../../main/api/client';
import { useEngine } from '../api/EngineContext';
import { ThumbnailLoader } from './thumbnailLoader';
import type { Thumbnail } from './thumbnailLoader';

// ~1,500 WebP thumbnails of ≤256 px: tens of MB at most, shared by the grid, the table and search results.
const loaders = new WeakMap<ApiClient, ThumbnailLoader>();

function loaderFor(client: ApiClient): ThumbnailLoader {
  let loader = loaders.get(client);
  if (!loader) {
    loader = new ThumbnailLoader(
      (sha256) => client.call('media.thumbnail', { sha256 }).then((image) => image.dataUrl),
      { capacity: 1500, concurrency: 4 },
    );
    loaders.set(client, loader);
  }
  return loader;
}

/** The thumbnail of an image: undefined while loading, null when there is none (the cell shows a placeholder). */
export function useThumbnail(sha256: string | null): Thumbnail | undefined {
  const { client } = useEngine();
  const loader = loaderFor(client);
  const [loaded, setLoaded] = useState<{ sha256: string; thumbnail: Thumbnail } | null>(null);

  useEffect(() => {
    if (sha256 === null) return;
    return loader.request(sha256, (thumbnail) => setLoaded({ sha256, thumbnail }));
  }, [loader, sha256]);

  if (sha256 === null) return null;
  if (loaded?.sha256 === sha256) return loaded.thumbnail;
  return loader.peek(sha256);
}
