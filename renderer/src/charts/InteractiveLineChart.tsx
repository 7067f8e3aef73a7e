import { useId, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { ChartFrame, useElementWidth } from './ChartFrame';
import type { TooltipState } from './ChartFrame';
import { seriesCsv } from './chartCsv';
import { exportFileName } from './chartExport';
import { charsForWidth, wrapNotes } from './chartNotes';
import { LineChartSvg } from './LineChartSvg';
import { layoutLineChart } from './lineChartLayout';
import type { PositionedPoint, SeriesLayout } from './lineChartLayout';
import type { ChartSeries } from './types';
import { useZoomX } from './useZoomX';

export interface InteractiveLineChartProps {
  series: readonly ChartSeries[];
  title: string;
  xLabel: string;
  yLabel: string;
  yPercent: boolean;
  notes: readonly string[];
  /** The tooltip's lines for a point, after the series name. */
  describe(point: PositionedPoint, series: SeriesLayout): string[];
  onSelect?: (point: PositionedPoint, series: SeriesLayout) => void;
  /** Column name of the y value in the CSV export. */
  valueName: string;
  controls?: ReactNode;
  height: number;
  testId: string;
}

/** A log-x line chart with hover tooltips, legend toggles, x zoom, point selection and export. */
export function InteractiveLineChart(props: InteractiveLineChartProps) {
  const {
    series,
    title,
    xLabel,
    yLabel,
    yPercent,
    notes,
    describe,
    onSelect,
    valueName,
    controls,
    height,
    testId,
  } = props;
  const svgRef = useRef<SVGSVGElement>(null);
  const { ref: bodyRef, width } = useElementWidth();
  const clipId = `chart-clip-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [tooltip, setTooltip] = useState<TooltipState | null>(null);
  const noteLines = useMemo(() => wrapNotes(notes, charsForWidth(width - 60)), [notes, width]);

  const input = { series, hidden, width, height, yPercent, noteLines: noteLines.length };
  const full = layoutLineChart(input);
  const zoom = useZoomX(svgRef, full.plot);
  const layout = zoom.zoomed
    ? layoutLineChart({ ...input, xDomain: zoom.domain(full.fullXDomain, full.plot) })
    : full;

  const toggle = (id: string) => {
    setTooltip(null);
    setHidden((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  };

  return (
    <ChartFrame
      title={title}
      fileName={exportFileName(title)}
      svgRef={svgRef}
      csv={() => seriesCsv(series, hidden, valueName)}
      controls={controls}
      zoom={zoom}
      tooltip={tooltip}
      bodyRef={bodyRef}
      width={width}
      testId={testId}
    >
      <LineChartSvg
        svgRef={svgRef}
        layout={layout}
        title={title}
        xLabel={xLabel}
        yLabel={yLabel}
        notes={noteLines}
        clipId={clipId}
        interaction={{
          onPointEnter: (point, s) =>
            setTooltip({ left: point.px, top: point.py, lines: [s.label, ...describe(point, s)] }),
          onPointLeave: () => setTooltip(null),
          onPointClick: (point, s) => onSelect?.(point, s),
          onLegendToggle: toggle,
        }}
      />
    </ChartFrame>
  );
}
