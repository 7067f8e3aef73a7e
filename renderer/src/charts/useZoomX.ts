import { useCallback, useEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';
import { scaleLog, select, zoom, zoomIdentity } from 'd3';
import type { ZoomBehavior, ZoomTransform } from 'd3';

export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface ZoomX {
  /** The x domain after zooming: `full` when not zoomed. */
  domain(full: [number, number], plot: PlotArea): [number, number];
  zoomed: boolean;
  zoomBy(factor: number): void;
  reset(): void;
}

/**
 * d3-zoom on the chart's SVG, applied to the x axis only (wheel, drag to pan, buttons). The transform lives
 * in React state so the layout, not d3, redraws the chart.
 */
export function useZoomX(svgRef: RefObject<SVGSVGElement | null>, plot: PlotArea): ZoomX {
  const [transform, setTransform] = useState<ZoomTransform>(zoomIdentity);
  const behaviorRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const { left, top, width, height } = plot;

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const behavior = zoom<SVGSVGElement, unknown>()
      .scaleExtent([1, 50])
      .extent([
        [left, top],
        [left + width, top + height],
      ])
      .translateExtent([
        [left, -Infinity],
        [left + width, Infinity],
      ])
      .on('zoom', (event: { transform: ZoomTransform }) => setTransform(event.transform));
    const selection = select(svg);
    // Double-click is left to the points (select), not zoom.
    selection.call(behavior).on('dblclick.zoom', null);
    behaviorRef.current = behavior;
    return () => {
      selection.on('.zoom', null);
      behaviorRef.current = null;
    };
  }, [svgRef, left, top, width, height]);

  const zoomBy = useCallback(
    (factor: number) => {
      const svg = svgRef.current;
      if (svg && behaviorRef.current) behaviorRef.current.scaleBy(select(svg), factor);
    },
    [svgRef],
  );
  const reset = useCallback(() => {
    const svg = svgRef.current;
    if (svg && behaviorRef.current) behaviorRef.current.transform(select(svg), zoomIdentity);
  }, [svgRef]);

  const domain = useCallback(
    (full: [number, number], area: PlotArea): [number, number] => {
      if (transform.k === 1 && transform.x === 0) return full;
      const base = scaleLog()
        .domain(full)
        .range([area.left, area.left + area.width]);
      return transform.rescaleX(base).domain() as [number, number];
    },
    [transform],
  );
  return { domain, zoomed: transform.k !== 1 || transform.x !== 0, zoomBy, reset };
}
