import type { Trace, TraceAxes, TraceFigure } from '../../api/trace';

/** The figure and every axes, as owners of element lists (texts, lines, patches, collections, images). */
export function owners(trace: Trace): (TraceFigure | TraceAxes)[] {
  return [trace.figure, ...trace.axes];
}

/** Axes that hold data: colorbars are legends of a mapping, not plots of their own. */
export function dataAxes(trace: Trace): TraceAxes[] {
  return trace.axes.filter((a) => !a.isColorbar);
}

/** Every visible text with what a reader sees (`rendered` for mathtext, else the raw string). */
export function visibleTexts(trace: Trace): { shown: string; isTickLabel: boolean }[] {
  return owners(trace).flatMap((o) =>
    o.texts.map((t) => ({ shown: t.rendered ?? t.text, isTickLabel: t.isTickLabel })),
  );
}
