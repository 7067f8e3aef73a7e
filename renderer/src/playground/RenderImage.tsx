import { useState } from 'react';

interface RenderImageProps {
  dataUrl: string;
  width: number;
  height: number;
}

/** The rendered PNG, fitted to the panel; a click (or Enter) shows it at 1:1 in a scrolling frame. */
export function RenderImage({ dataUrl, width, height }: RenderImageProps) {
  const [actualSize, setActualSize] = useState(false);
  return (
    <figure className="render-image" data-zoom={actualSize ? 'actual' : 'fit'}>
      <div className="render-image__viewport">
        <button
          type="button"
          className="render-image__frame"
          onClick={() => setActualSize((v) => !v)}
          aria-pressed={actualSize}
          title={actualSize ? 'Fit to the panel' : 'Show at 1:1'}
          data-testid="render-image-zoom"
        >
          <img
            className="render-image__img"
            src={dataUrl}
            width={width}
            height={height}
            alt={`The rendered figure, ${width}×${height} pixels`}
            data-testid="render-image"
          />
        </button>
      </div>
      <figcaption className="render-image__caption">
        <span className="num">
          {width}×{height} px
        </span>
        <span>{actualSize ? '1:1 · click to fit' : 'fitted · click for 1:1'}</span>
      </figcaption>
    </figure>
  );
}
