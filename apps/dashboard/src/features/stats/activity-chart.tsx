import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

/** Events per hour as hard-edged bars; uPlot draws on a canvas, so the colors come from the theme's CSS variables. */
export default function ActivityChart({ hours, counts }: { hours: number[]; counts: number[] }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const styles = getComputedStyle(document.documentElement);
    const ink = styles.getPropertyValue('--color-ink').trim() || '#000';
    const signal = styles.getPropertyValue('--color-signal').trim() || '#ff3b00';
    const bars = uPlot.paths.bars?.({ size: [0.8, 40] });
    const plot = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height: 140,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: true }, y: { range: (_plot, _min, max) => [0, Math.max(4, max)] } },
        axes: [
          { stroke: ink, grid: { show: false }, ticks: { stroke: ink }, font: '11px monospace' },
          { stroke: ink, grid: { stroke: ink, width: 0.5 }, ticks: { stroke: ink }, font: '11px monospace', size: 36 },
        ],
        series: [{}, { label: 'events', stroke: ink, fill: signal, width: 2, ...(bars ? { paths: bars } : {}), points: { show: false } }],
      },
      [hours, counts],
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, element.clientWidth), height: 140 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [hours, counts]);
  return <div ref={container} role="img" aria-label={`Events per hour over the last 24 hours: ${counts.join(', ')}`} />;
}
