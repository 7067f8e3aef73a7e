import { useEffect, useRef, useState } from 'react';
import type { ReactNode, RefObject } from 'react';
import { downloadBlob, serializeSvg, svgToPng } from './chartExport';

export interface TooltipState {
  /** Anchor in the chart's pixel coordinates (the SVG sits at the frame's top left). */
  left: number;
  top: number;
  lines: string[];
}

export interface ChartFrameProps {
  title: string;
  fileName: string;
  svgRef: RefObject<SVGSVGElement | null>;
  /** The CSV of exactly what is drawn, computed when the button is pressed. */
  csv: () => string;
  /** Metric / mode choosers, shown first in the toolbar. */
  controls?: ReactNode;
  zoom?: { zoomed: boolean; zoomBy(factor: number): void; reset(): void };
  tooltip: TooltipState | null;
  /** The element whose width the chart is drawn at (see useElementWidth), and that width. */
  bodyRef: RefObject<HTMLDivElement | null>;
  width: number;
  children: ReactNode;
  testId: string;
}

export const DEFAULT_CHART_WIDTH = 760;

/** The shell every chart shares: toolbar (controls, zoom, export), width measurement, tooltip. */
export function ChartFrame(props: ChartFrameProps) {
  const { title, fileName, svgRef, csv, controls, zoom, tooltip, bodyRef, width, children, testId } = props;
  const [exportError, setExportError] = useState<string | null>(null);

  const exportAs = async (kind: 'svg' | 'png' | 'csv') => {
    setExportError(null);
    try {
      if (kind === 'csv') return downloadBlob(new Blob([csv()], { type: 'text/csv' }), `${fileName}.csv`);
      const svg = svgRef.current;
      if (!svg) throw new Error('The chart is not drawn yet.');
      const text = serializeSvg(svg);
      if (kind === 'svg') return downloadBlob(new Blob([text], { type: 'image/svg+xml' }), `${fileName}.svg`);
      const { width: w, height: h } = svg.viewBox.baseVal;
      downloadBlob(await svgToPng(text, w, h, 2), `${fileName}.png`);
    } catch (error) {
      setExportError(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <figure
      data-testid={testId}
      style={{ margin: 0, display: 'flex', flexDirection: 'column', gap: 8, minWidth: 0 }}
    >
      <div
        role="toolbar"
        aria-label={`${title} tools`}
        style={{ display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center' }}
      >
        {controls}
        {zoom ? (
          <span className="button-group">
            <button
              type="button"
              className="button button--small"
              data-testid="chart-zoom-in"
              onClick={() => zoom.zoomBy(2)}
            >
              Zoom in
            </button>
            <button
              type="button"
              className="button button--small"
              data-testid="chart-zoom-out"
              onClick={() => zoom.zoomBy(0.5)}
            >
              Zoom out
            </button>
            <button
              type="button"
              className="button button--small"
              data-testid="chart-zoom-reset"
              disabled={!zoom.zoomed}
              onClick={zoom.reset}
            >
              Reset zoom
            </button>
          </span>
        ) : null}
        <span className="button-group" style={{ marginLeft: 'auto' }}>
          <button
            type="button"
            className="button button--small"
            data-testid="chart-export-svg"
            onClick={() => void exportAs('svg')}
          >
            Export SVG
          </button>
          <button
            type="button"
            className="button button--small"
            data-testid="chart-export-png"
            onClick={() => void exportAs('png')}
          >
            Export PNG
          </button>
          <button
            type="button"
            className="button button--small"
            data-testid="chart-export-csv"
            onClick={() => void exportAs('csv')}
          >
            Export CSV
          </button>
        </span>
      </div>
      {exportError ? (
        <p role="alert" style={{ margin: 0, color: 'var(--error)' }}>
          {exportError}
        </p>
      ) : null}
      <div ref={bodyRef} style={{ position: 'relative', minWidth: 0 }}>
        {children}
        <div
          data-testid="chart-tooltip"
          role="status"
          aria-live="polite"
          style={{
            position: 'absolute',
            left: tooltip ? tooltip.left + 12 : 0,
            top: tooltip ? tooltip.top + 12 : 0,
            transform: tooltip && tooltip.left > width - 240 ? 'translateX(calc(-100% - 24px))' : undefined,
            visibility: tooltip ? 'visible' : 'hidden',
            pointerEvents: 'none',
            padding: '6px 8px',
            maxWidth: 260,
            borderRadius: 'var(--radius-small)',
            border: '1px solid var(--border-strong)',
            background: 'var(--surface)',
            color: 'var(--text)',
            boxShadow: 'var(--shadow)',
            fontSize: 12,
            lineHeight: 1.45,
            whiteSpace: 'nowrap',
          }}
        >
          {tooltip?.lines.map((line, i) => (
            <div key={i} style={i === 0 ? { fontWeight: 600 } : undefined}>
              {line}
            </div>
          ))}
        </div>
      </div>
    </figure>
  );
}

/** The element's content width, followed with a ResizeObserver; `fallback` until measured. */
export function useElementWidth(fallback = DEFAULT_CHART_WIDTH) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver((entries) => {
      const measured = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (measured > 0) setWidth(measured);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}
