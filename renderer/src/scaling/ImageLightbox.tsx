import { useEffect, useRef, useState } from 'react';
import type { MediaImage } from '../../../main/api/datasets';
import { useEngine } from '../api/EngineContext';
import { describeError } from '../api/describeError';
import { Icon } from '../components/Icon';
import { ZoomableImage } from '../datasets/ZoomableImage';

/** The full image of an item over the page: wheel/drag to zoom and pan, Escape or the button to close. */
export function ImageLightbox({
  sha256,
  title,
  onClose,
}: {
  sha256: string;
  title: string;
  onClose: () => void;
}) {
  const { client } = useEngine();
  const [image, setImage] = useState<MediaImage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    let live = true;
    client.call('media.image', { sha256 }).then(
      (media) => live && setImage(media),
      (e: unknown) => live && setError(describeError(e).message),
    );
    return () => {
      live = false;
    };
  }, [client, sha256]);
  useEffect(() => {
    // Focus moves into the dialog so Escape and Tab work at once; it goes back where it was on close.
    const before = document.activeElement as HTMLElement | null;
    closeButton.current?.focus();
    return () => before?.focus();
  }, []);
  return (
    <div
      className="detail-backdrop"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
      onClick={(e) => e.target === e.currentTarget && onClose()}
    >
      <div
        className="scaling-lightbox"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid="scaling-lightbox"
      >
        <header className="scaling-lightbox__header">
          <h2 className="scaling-subtitle">{title}</h2>
          <button
            ref={closeButton}
            type="button"
            className="icon-button"
            onClick={onClose}
            aria-label="Close"
            data-testid="scaling-lightbox-close"
          >
            <Icon name="close" />
          </button>
        </header>
        <div className="scaling-lightbox__body">
          {image ? (
            <ZoomableImage
              src={image.dataUrl}
              width={image.width}
              height={image.height}
              alt={`${title}, ${image.width}×${image.height} pixels`}
              testId="scaling-lightbox-image"
            />
          ) : (
            <p className="muted">{error ?? 'Loading the image…'}</p>
          )}
        </div>
      </div>
    </div>
  );
}
