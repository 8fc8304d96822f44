import type { Status } from '@mission-control/contracts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const componentNames: Record<keyof Status['components'], string> = {
  api: 'API',
  eventStream: 'Live updates (event stream)',
  database: 'Database',
  redis: 'Redis',
};

const headlines: Record<Status['status'], string> = {
  operational: 'All systems operational',
  degraded: 'Some parts are not working',
  down: 'The service is down',
};

const percent = (value: number | null) => (value === null ? 'no data' : `${value.toFixed(2)} %`);
const milliseconds = (value: number | null) => (value === null ? '—' : `${Math.round(value)} ms`);

function dayColour(uptime: number | null): string {
  if (uptime === null) return '#d0d4da';
  if (uptime >= 99.9) return '#1a7f37';
  if (uptime >= 99) return '#9a6700';
  return '#cf222e';
}

/** The public status page: plain HTML and inline styles (no script), readable signed-out and without JavaScript. */
export function renderStatusPage(status: Status): string {
  const components = (Object.entries(status.components) as [keyof Status['components'], Status['components']['api']][])
    .map(
      ([key, component]) =>
        `<li><span>${escapeHtml(componentNames[key])}</span><strong class="${component.status}">${component.status === 'up' ? 'Up' : 'Down'}</strong></li>`,
    )
    .join('');
  const bars = status.days
    .map(
      (day) =>
        `<span class="bar" style="background:${dayColour(day.uptimePercent)}" title="${escapeHtml(`${day.day}: ${percent(day.uptimePercent)}`)}"></span>`,
    )
    .join('');
  const rows = [...status.days]
    .reverse()
    .filter((day) => day.samples > 0)
    .map(
      (day) =>
        `<tr><th scope="row">${escapeHtml(day.day)}</th><td>${percent(day.uptimePercent)}</td><td>${milliseconds(day.p50LatencyMs)}</td><td>${milliseconds(day.p95LatencyMs)}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Status · Mission Control</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 48rem; padding: 1rem; color: #1f2328; background: #fff; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.125rem; margin-top: 2rem; }
.headline { padding: 0.75rem 1rem; border-radius: 0.5rem; color: #fff; font-weight: 600; }
.headline.operational { background: #1a7f37; } .headline.degraded { background: #9a6700; } .headline.down { background: #cf222e; }
ul { list-style: none; padding: 0; } li { display: flex; justify-content: space-between; padding: 0.5rem 0; border-bottom: 1px solid #d0d7de; }
.up { color: #1a7f37; } .down { color: #cf222e; }
.bars { display: flex; gap: 1px; height: 2rem; } .bar { flex: 1; border-radius: 1px; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid #d0d7de; }
p.note { color: #59636e; font-size: 0.875rem; }
</style>
</head>
<body>
<main>
<h1>Mission Control status</h1>
<p class="headline ${status.status}">${headlines[status.status]}</p>
<h2>Components</h2>
<ul>${components}</ul>
<h2>Uptime over the last 90 days: ${percent(status.uptimePercent90Days)}</h2>
<div class="bars" role="img" aria-label="${escapeHtml(`Uptime per day over the last 90 days, ${percent(status.uptimePercent90Days)} overall`)}">${bars}</div>
<h2>Days with measurements</h2>
${rows ? `<table><thead><tr><th scope="col">Day (UTC)</th><th scope="col">Uptime</th><th scope="col">Median response</th><th scope="col">95th percentile</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>No measurements yet: each server checks itself once a minute.</p>'}
<p class="note">Checked ${escapeHtml(status.asOf)}. Each server checks itself once a minute; the same data as JSON is at <a href="/api/v1/status">/api/v1/status</a>.</p>
</main>
</body>
</html>
`;
}
