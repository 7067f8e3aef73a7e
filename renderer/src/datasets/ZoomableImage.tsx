import { useCallback, useEffect, useRef, useState } from 'react';
import type { PointerEvent as ReactPointerEvent } from 'react';
import { Icon } from '../components/Icon';
import { fitZoom, panBy, wheelFactor, zoomAt } from './zoomModel';
import type { Zoom } from './zoomModel';

interface ZoomableImageProps {
  src: string;
  width: number;
  height: number;
  alt: string;
  testId: string;
}

/** An image to inspect: fitted at first; wheel or the buttons zoom (around the pointer), dragging pans. */
export function ZoomableImage({ src, width, height, alt, testId }: ZoomableImageProps) {
  const viewport = useRef<HTMLDivElement>(null);
  const [zoom, setZoom] = useState<Zoom | null>(null);
  const drag = useRef<{ x: number; y: number; id: number } | null>(null);

  const fit = useCallback(() => {
    const el = viewport.current;
    if (el) setZoom(fitZoom({ width, height }, { width: el.clientWidth, height: el.clientHeight }));
  }, [width, height]);

  useEffect(() => {
    fit();
    const el = viewport.current;
    if (!el) return;
    // React's onWheel is passive; zooming must stop the page from scrolling.
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = el.getBoundingClientRect();
      const at = { x: event.clientX - rect.left, y: event.clientY - rect.top };
      setZoom((z) => (z ? zoomAt(z, wheelFactor(event.deltaY), at) : z));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [fit, src]);

  const zoomCentre = (factor: number) => {
    const el = viewport.current;
    if (!el) return;
    setZoom((z) => (z ? zoomAt(z, factor, { x: el.clientWidth / 2, y: el.clientHeight / 2 }) : z));
  };
  const actualSize = () => {
    const el = viewport.current;
    if (!el) return;
    setZoom({ scale: 1, x: (el.clientWidth - width) / 2, y: (el.clientHeight - height) / 2 });
  };

  const onPointerDown = (event: ReactPointerEvent) => {
    if (event.button !== 0) return;
    drag.current = { x: event.clientX, y: event.clientY, id: event.pointerId };
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: ReactPointerEvent) => {
    const from = drag.current;
    if (!from || from.id !== event.pointerId) return;
    drag.current = { ...from, x: event.clientX, y: event.clientY };
    setZoom((z) => (z ? panBy(z, event.clientX - from.x, event.clientY - from.y) : z));
  };
  const onPointerUp = () => {
    drag.current = null;
  };

  return (
    <figure className="zoom-image" data-testid={testId}>
      <div
        className="zoom-image__viewport"
        ref={viewport}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onDoubleClick={fit}
      >
        <img
          src={src}
          width={width}
          height={height}
          alt={alt}
          draggable={false}
          className="zoom-image__img"
          style={
            zoom
              ? { transform: `translate(${zoom.x}px, ${zoom.y}px) scale(${zoom.scale})` }
              : { visibility: 'hidden' }
          }
        />
      </div>
      <figcaption className="zoom-image__bar">
        <span className="num muted">
          {width}×{height} px · <span data-testid="zoom-level">{Math.round((zoom?.scale ?? 1) * 100)}%</span>
        </span>
        <span className="zoom-image__buttons">
          <button
            type="button"
            className="button button--small"
            onClick={() => zoomCentre(1 / 1.25)}
            aria-label="Zoom out"
            data-testid="zoom-out"
          >
            <Icon name="minus" />
          </button>
          <button
            type="button"
            className="button button--small"
            onClick={() => zoomCentre(1.25)}
            aria-label="Zoom in"
            data-testid="zoom-in"
          >
            <Icon name="plus" />
          </button>
          <button type="button" className="button button--small" onClick={fit} data-testid="zoom-fit">
            Fit
          </button>
          <button type="button" className="button button--small" onClick={actualSize}>
            1:1
          </button>
        </span>
      </figcaption>
    </figure>
  );
}
