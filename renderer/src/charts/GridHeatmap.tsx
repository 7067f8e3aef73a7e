import { useContext, useId, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, Ref } from 'react';
import type { CellKey, StudyDetail } from '../../../main/api/scaling';
import { ChartFrame, useElementWidth } from './ChartFrame';
import { ChartSelect } from './ChartSelect';
import type { TooltipState } from './ChartFrame';
import { exportFileName } from './chartExport';
import { chartMetricLabel, chartMetricOptions } from './chartMetric';
import { ChartThemeContext } from './chartTheme';
import { heatmapCsv, layoutHeatmap } from './heatmapLayout';
import type { HeatmapCell, HeatmapLayout } from './heatmapLayout';
import { formatAccuracy } from './scalingCurvesModel';
import type { ChartMetric } from './types';

export interface GridHeatmapProps {
  study: StudyDetail;
  metric: ChartMetric;
  onSelectCell?: (cell: CellKey) => void;
  /** When given, the toolbar offers the metric chooser. */
  onMetricChange?: (metric: ChartMetric) => void;
}

interface HeatmapSvgProps {
  layout: HeatmapLayout;
  title: string;
  gradientId: string;
  onEnter?: (cell: HeatmapCell) => void;
  onLeave?: () => void;
  onSelect?: (cell: HeatmapCell) => void;
  svgRef?: Ref<SVGSVGElement>;
}

function fit(label: string, pixels: number): string {
  const chars = Math.max(4, Math.floor(pixels / 6.6));
  return label.length > chars ? `${label.slice(0, chars - 1)}…` : label;
}

/** The captioner × solver grid, coloured by the metric, with a colour-scale legend. */
export function HeatmapSvg({
  layout,
  title,
  gradientId,
  onEnter,
  onLeave,
  onSelect,
  svgRef,
}: HeatmapSvgProps) {
  const theme = useContext(ChartThemeContext);
  const text = { fill: theme.text, fontFamily: theme.font, fontSize: 11 };
  const muted = { ...text, fill: theme.textMuted };
  const { grid, legend } = layout;
  const columnWidth = grid.width / Math.max(1, layout.columnCount);
  const interactive = Boolean(onSelect);
  return (
    <svg
      ref={svgRef}
      xmlns="http://www.w3.org/2000/svg"
      width={layout.width}
      height={layout.height}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="img"
      aria-label={title}
      style={{ display: 'block', background: theme.background, fontFamily: theme.font }}
    >
      <title>{title}</title>
      <rect x={0} y={0} width={layout.width} height={layout.height} style={{ fill: theme.background }} />
      <defs>
        <linearGradient id={gradientId} x1="0" x2="0" y1="1" y2="0">
          {legend.stops.map((s) => (
            <stop key={s.offset} offset={s.offset} style={{ stopColor: s.color }} />
          ))}
        </linearGradient>
      </defs>
      {layout.rows.map((r) => (
        <text
          key={r.label}
          data-testid="heatmap-row"
          x={grid.left - 8}
          y={r.y}
          dy="0.32em"
          textAnchor="end"
          style={text}
        >
          {fit(r.label, grid.left - 12)}
        </text>
      ))}
      {layout.columns.map((c) => (
        <text
          key={c.label}
          data-testid="heatmap-column"
          x={c.x}
          y={grid.top + grid.height + 16}
          textAnchor="middle"
          style={text}
        >
          {fit(c.label, columnWidth - 6)}
        </text>
      ))}
      <text
        x={grid.left + grid.width / 2}
        y={grid.top + grid.height + 40}
        textAnchor="middle"
        style={{ ...muted, fontSize: 12 }}
      >
        Columns: solver (reasoning) · rows: captioner (perception) · smallest first
      </text>
      {layout.cells.map((c) => (
        <g
          key={c.id}
          data-testid="heatmap-cell"
          data-captioner={c.captioner}
          data-solver={c.solver ?? ''}
          style={{ cursor: interactive && c.estimate ? 'pointer' : 'default' }}
          {...(interactive && c.estimate
            ? {
                tabIndex: 0,
                role: 'button',
                'aria-label': `${c.captioner} → ${c.solver ?? 'direct'}: ${c.text}`,
                onMouseEnter: () => onEnter?.(c),
                onFocus: () => onEnter?.(c),
                onMouseLeave: () => onLeave?.(),
                onBlur: () => onLeave?.(),
                onClick: () => onSelect?.(c),
                onKeyDown: (e: KeyboardEvent) => {
                  if (e.key === 'Enter' || e.key === ' ') onSelect?.(c);
                },
              }
            : {})}
        >
          <rect
            x={c.x + 1}
            y={c.y + 1}
            width={c.width - 2}
            height={c.height - 2}
            rx={3}
            style={{ fill: c.fill ?? theme.empty }}
          />
          <text
            x={c.x + c.width / 2}
            y={c.y + c.height / 2}
            dy="0.32em"
            textAnchor="middle"
            style={{ ...text, fill: c.ink ?? theme.textMuted, fontSize: 12 }}
          >
            {c.text}
          </text>
        </g>
      ))}
      <g data-testid="heatmap-legend">
        <rect
          x={legend.x}
          y={legend.y}
          width={12}
          height={legend.height}
          style={{ fill: `url(#${gradientId})`, stroke: theme.axis }}
        />
        {legend.ticks.map((t) => (
          <text key={t.label} x={legend.x + 18} y={t.y} dy="0.32em" style={muted}>
            {t.label}
          </text>
        ))}
      </g>
    </svg>
  );
}

function heatmapTitle(study: StudyDetail, metric: ChartMetric): string {
  return `${chartMetricLabel(metric)}, captioner × solver: ${study.name}`;
}

/** The grid as a heatmap with tooltips (value, CI, n), click to open a cell, export. */
export function GridHeatmap({ study, metric, onSelectCell, onMetricChange }: GridHeatmapProps) {
  const svgRef = useRef<SVGSVGElement>(null);
  const { ref: bodyRef, width } = useElementWidth();
  const gradientId = `heatmap-scale-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const [tooltip, setTooltip] = useState<TooltipState | null>(null);
  const layout = useMemo(() => layoutHeatmap(study, metric, width), [study, metric, width]);
  const options = useMemo(() => chartMetricOptions(study), [study]);
  const title = heatmapTitle(study, metric);
  const controls = onMetricChange ? (
    <ChartSelect
      label="Metric"
      testId="chart-metric"
      value={metric}
      options={options}
      onChange={onMetricChange}
    />
  ) : null;
  return (
    <ChartFrame
      title={title}
      fileName={exportFileName(title)}
      svgRef={svgRef}
      csv={() => heatmapCsv(layout, study)}
      controls={controls}
      tooltip={tooltip}
      bodyRef={bodyRef}
      width={width}
      testId="grid-heatmap"
    >
      <HeatmapSvg
        svgRef={svgRef}
        layout={layout}
        title={title}
        gradientId={gradientId}
        onEnter={(c) =>
          setTooltip({
            left: c.x + c.width / 2,
            top: c.y + c.height / 2,
            lines: [
              `${c.captioner} → ${c.solver ?? 'direct'}`,
              `${chartMetricLabel(metric)}: ${c.estimate && c.estimate.mean !== null ? formatAccuracy({ y: c.estimate.mean, low: c.estimate.low, high: c.estimate.high }) : 'no value'}`,
              `n = ${c.estimate?.n ?? 0}`,
            ],
          })
        }
        onLeave={() => setTooltip(null)}
        onSelect={(c) => onSelectCell?.({ captioner: c.captioner, solver: c.solver })}
      />
    </ChartFrame>
  );
}

/** Static heatmap for the CLI. */
export function GridHeatmapSvg({
  study,
  metric,
  width,
}: {
  study: StudyDetail;
  metric: ChartMetric;
  width: number;
}) {
  return (
    <HeatmapSvg
      layout={layoutHeatmap(study, metric, width)}
      title={heatmapTitle(study, metric)}
      gradientId="heatmap-scale"
    />
  );
}
