import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

export interface ChartSeries {
  label: string;
  values: number[];
  /** A CSS variable of the theme (uPlot draws on a canvas, so colours are read from the page). */
  colorVariable: string;
}

/**
 * Periods on the x axis (seconds), one bar series or line each. `stacked` draws bars on top of one
 * another: each series is drawn at its running total, tallest first, so the smaller ones show in front.
 */
export default function SeriesChart({
  periods,
  series,
  stacked = false,
  description,
  height = 180,
  range,
}: {
  periods: number[];
  /** The instants (ISO) the x axis spans; without it, the periods' own span. */
  range?: { from: string; to: string };
  series: ChartSeries[];
  stacked?: boolean;
  description: string;
  height?: number;
}) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    // Without a 2D canvas (some embedded browsers, simulated DOMs) uPlot cannot draw; the figures
    // beside the chart still say everything it would show.
    if (!element || !document.createElement('canvas').getContext('2d')) return;
    const styles = getComputedStyle(document.documentElement);
    const color = (variable: string) => styles.getPropertyValue(variable).trim() || '#000';
    const ink = color('--color-ink');
    const running = periods.map(() => 0);
    const drawn = series.map((entry) => {
      if (!stacked) return entry.values;
      return entry.values.map((value, index) => {
        running[index] = (running[index] ?? 0) + value;
        return running[index] ?? 0;
      });
    });
    const order = stacked ? series.map((_, index) => index).reverse() : series.map((_, index) => index);
    const bars = uPlot.paths.bars?.({ size: [0.8, 40] });
    // The axis spans the chosen range, so one busy day sits where it belongs instead of uPlot
    // stretching a lone point over years of empty axis.
    const first = periods[0] ?? 0;
    const last = periods[periods.length - 1] ?? first;
    const xRange: [number, number] = range
      ? [Math.min(first, Date.parse(range.from) / 1000), Math.max(last, Date.parse(range.to) / 1000)]
      : first === last
        ? [first - 43_200, first + 43_200]
        : [first, last];
    const plot = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: true, range: xRange }, y: { range: (_plot, _min, max) => [0, Math.max(1, max)] } },
        axes: [
          { stroke: ink, grid: { show: false }, ticks: { stroke: ink }, font: '11px monospace' },
          { stroke: ink, grid: { stroke: ink, width: 0.5 }, ticks: { stroke: ink }, font: '11px monospace', size: 44 },
        ],
        series: [
          {},
          ...order.map((index) => {
            const entry = series[index];
            const fill = color(entry?.colorVariable ?? '--color-ink');
            return stacked
              ? { label: entry?.label ?? '', stroke: ink, fill, width: 1, ...(bars ? { paths: bars } : {}), points: { show: false } }
              : { label: entry?.label ?? '', stroke: fill, width: 3, points: { show: true, size: 6, fill } };
          }),
        ],
      },
      [periods, ...order.map((index) => drawn[index] ?? [])],
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [periods, series, stacked, height, range]);
  return <div ref={container} role="img" aria-label={description} className="min-w-0 overflow-hidden" />;
}
