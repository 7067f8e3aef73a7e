import { useContext } from 'react';
import type { KeyboardEvent, Ref } from 'react';
import { ChartThemeContext, seriesColor } from './chartTheme';
import { LEGEND_LINE_HEIGHT, NOTE_LINE_HEIGHT } from './lineChartLayout';
import type { LineChartLayout, PositionedPoint, SeriesLayout } from './lineChartLayout';

export interface LineChartInteraction {
  onPointEnter(point: PositionedPoint, series: SeriesLayout): void;
  onPointLeave(): void;
  onPointClick(point: PositionedPoint, series: SeriesLayout): void;
  onLegendToggle(seriesId: string): void;
}

export interface LineChartSvgProps {
  layout: LineChartLayout;
  title: string;
  xLabel: string;
  yLabel: string;
  notes: readonly string[];
  /** Absent for a static render (CLI, export): no handlers, nothing focusable. */
  interaction?: LineChartInteraction;
  /** Unique per chart on a page: the plot's clip path id. */
  clipId: string;
  svgRef?: Ref<SVGSVGElement>;
}

/** A log-x line chart with CI bands, points, legend and notes, drawn from a precomputed layout. */
export function LineChartSvg({
  layout,
  title,
  xLabel,
  yLabel,
  notes,
  interaction,
  clipId,
  svgRef,
}: LineChartSvgProps) {
  const theme = useContext(ChartThemeContext);
  const { plot } = layout;
  const bottom = plot.top + plot.height;
  const text = { fill: theme.text, fontFamily: theme.font, fontSize: 11 };
  const muted = { ...text, fill: theme.textMuted };
  const visible = layout.series.filter((s) => !s.hidden);
  return (
    <svg
      ref={svgRef}
      xmlns="http://www.w3.org/2000/svg"
      width={layout.width}
      height={layout.height}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="img"
      aria-label={title}
      data-x-domain={layout.xDomain.map((v) => v.toPrecision(6)).join(',')}
      style={{ display: 'block', background: theme.background, fontFamily: theme.font }}
    >
      <title>{title}</title>
      <rect x={0} y={0} width={layout.width} height={layout.height} style={{ fill: theme.background }} />
      <defs>
        <clipPath id={clipId}>
          <rect x={plot.left} y={plot.top - 6} width={plot.width} height={plot.height + 12} />
        </clipPath>
      </defs>
      <g data-testid="chart-y-axis">
        {layout.yTicks.map((t) => (
          <g key={t.value}>
            <line
              x1={plot.left}
              x2={plot.left + plot.width}
              y1={t.position}
              y2={t.position}
              style={{ stroke: theme.grid, strokeWidth: 1 }}
            />
            <text x={plot.left - 8} y={t.position} dy="0.32em" textAnchor="end" style={muted}>
              {t.label}
            </text>
          </g>
        ))}
      </g>
      <g data-testid="chart-x-axis">
        <line
          x1={plot.left}
          x2={plot.left + plot.width}
          y1={bottom}
          y2={bottom}
          style={{ stroke: theme.axis, strokeWidth: 1 }}
        />
        {layout.xTicks.map((t) => (
          <g key={t.value}>
            <line
              x1={t.position}
              x2={t.position}
              y1={bottom}
              y2={bottom + 5}
              style={{ stroke: theme.axis, strokeWidth: 1 }}
            />
            <text data-testid="chart-x-tick" x={t.position} y={bottom + 17} textAnchor="middle" style={muted}>
              {t.label}
            </text>
          </g>
        ))}
      </g>
      <text
        x={plot.left + plot.width / 2}
        y={bottom + 38}
        textAnchor="middle"
        style={{ ...text, fontSize: 12 }}
      >
        {xLabel} (log scale)
      </text>
      <text
        transform={`translate(14 ${plot.top + plot.height / 2}) rotate(-90)`}
        textAnchor="middle"
        style={{ ...text, fontSize: 12 }}
      >
        {yLabel}
      </text>
      <g clipPath={`url(#${clipId})`}>
        {visible.map((s) =>
          s.band ? (
            <path
              key={`band-${s.id}`}
              data-testid="chart-band"
              data-series-id={s.id}
              d={s.band}
              style={{ fill: seriesColor(theme, s.colorIndex), fillOpacity: 0.14, stroke: 'none' }}
            />
          ) : null,
        )}
        {visible.map((s) =>
          s.line ? (
            <path
              key={`line-${s.id}`}
              data-testid="chart-series"
              data-series-id={s.id}
              d={s.line}
              style={{
                fill: 'none',
                stroke: seriesColor(theme, s.colorIndex),
                strokeWidth: 2,
                strokeDasharray: s.dashed ? '6 4' : 'none',
              }}
            />
          ) : null,
        )}
        {visible.map((s) => (
          <g key={`points-${s.id}`} data-testid="chart-point-group" data-series-id={s.id}>
            {s.points.map((p) => (
              <g key={p.id}>
                {!s.connect && p.pyLow !== null && p.pyHigh !== null ? (
                  <line
                    x1={p.px}
                    x2={p.px}
                    y1={p.pyLow}
                    y2={p.pyHigh}
                    style={{ stroke: seriesColor(theme, s.colorIndex), strokeWidth: 1.5 }}
                  />
                ) : null}
                <circle
                  data-testid="chart-point"
                  data-point-id={p.id}
                  cx={p.px}
                  cy={p.py}
                  r={s.dashed ? 4 : 4.5}
                  style={{
                    fill: s.dashed ? theme.background : seriesColor(theme, s.colorIndex),
                    stroke: seriesColor(theme, s.colorIndex),
                    strokeWidth: 2,
                    cursor: interaction ? 'pointer' : 'default',
                  }}
                  {...(interaction
                    ? {
                        tabIndex: 0,
                        role: 'button',
                        'aria-label': `${s.label}: ${p.label}`,
                        onMouseEnter: () => interaction.onPointEnter(p, s),
                        onFocus: () => interaction.onPointEnter(p, s),
                        onMouseLeave: () => interaction.onPointLeave(),
                        onBlur: () => interaction.onPointLeave(),
                        onClick: () => interaction.onPointClick(p, s),
                        onKeyDown: (e: KeyboardEvent) => {
                          if (e.key === 'Enter' || e.key === ' ') interaction.onPointClick(p, s);
                        },
                      }
                    : {})}
                />
              </g>
            ))}
          </g>
        ))}
      </g>
      <g data-testid="chart-legend">
        {layout.legend.map((item) => (
          <g
            key={item.id}
            data-testid="chart-legend-item"
            data-series-id={item.id}
            data-hidden={item.hidden ? 'true' : 'false'}
            transform={`translate(${item.x} ${item.y})`}
            style={{ opacity: item.hidden ? 0.4 : 1, cursor: interaction ? 'pointer' : 'default' }}
            {...(interaction
              ? {
                  tabIndex: 0,
                  role: 'switch',
                  'aria-checked': !item.hidden,
                  'aria-label': `Show ${item.label}`,
                  onClick: () => interaction.onLegendToggle(item.id),
                  onKeyDown: (e: KeyboardEvent) => {
                    if (e.key === 'Enter' || e.key === ' ') interaction.onLegendToggle(item.id);
                  },
                }
              : {})}
          >
            <title>{item.label}</title>
            <line
              x1={0}
              x2={20}
              y1={6}
              y2={6}
              style={{
                stroke: seriesColor(theme, item.colorIndex),
                strokeWidth: 2,
                strokeDasharray: item.dashed ? '5 3' : 'none',
              }}
            />
            <circle
              cx={10}
              cy={6}
              r={3.5}
              style={{
                fill: item.dashed ? theme.background : seriesColor(theme, item.colorIndex),
                stroke: seriesColor(theme, item.colorIndex),
                strokeWidth: 1.5,
              }}
            />
            <text x={26} y={6} style={{ ...text, textDecoration: item.hidden ? 'line-through' : 'none' }}>
              {item.lines.map((line, i) => (
                <tspan key={i} x={26} dy={i === 0 ? '0.32em' : LEGEND_LINE_HEIGHT}>
                  {line}
                </tspan>
              ))}
            </text>
          </g>
        ))}
      </g>
      {notes.map((note, i) => (
        <text
          key={note}
          data-testid="chart-note"
          x={plot.left}
          y={layout.notesTop + i * NOTE_LINE_HEIGHT + 12}
          style={muted}
        >
          {note}
        </text>
      ))}
    </svg>
  );
}
