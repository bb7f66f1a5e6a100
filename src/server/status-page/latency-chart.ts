// A probe's latency over the last hour as a small inline SVG line chart (no script, no external
// asset). Failed probes are marked with a cross as well as a colour, so the chart does not rely
// on colour alone; the numbers it shows are in its accessible name.
import type { ProbePoint } from '../../probe/history.js';
import { html, type Html } from './html.js';

const WIDTH = 240;
const HEIGHT = 48;
const PAD = 4;

/** Pure: the chart for points (oldest first) within [now - windowMs, now]. */
export function latencyChart(service: string, points: readonly ProbePoint[], now: number, windowMs: number): Html {
  const durations = points.map((p) => p.durationMs);
  const max = Math.max(1, ...durations);
  const failures = points.filter((p) => !p.success).length;
  const summary = points.length === 0 ? `${service}: no probe results in the last hour`
    : `${service}: ${points.length} probes in the last hour, latency ${Math.round(Math.min(...durations))} to ${Math.round(max)} ms, ${failures} failed`;
  const x = (p: ProbePoint) => PAD + ((Date.parse(p.at) - (now - windowMs)) / windowMs) * (WIDTH - 2 * PAD);
  const y = (p: ProbePoint) => HEIGHT - PAD - (p.durationMs / max) * (HEIGHT - 2 * PAD);
  const coords = points.map((p) => `${x(p).toFixed(1)},${y(p).toFixed(1)}`).join(' ');
  const crosses = points.filter((p) => !p.success).map((p) => {
    const [cx, cy] = [x(p), y(p)];
    return `M${(cx - 3).toFixed(1)},${(cy - 3).toFixed(1)}l6,6m0,-6l-6,6`;
  }).join('');
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${summary}" data-points="${points.length}" preserveAspectRatio="none"><title>${summary}</title>
<line class="axis" x1="${PAD}" y1="${HEIGHT - PAD}" x2="${WIDTH - PAD}" y2="${HEIGHT - PAD}"/>
${points.length > 0 ? html`<polyline class="line" points="${coords}"/>` : ''}${crosses ? html`<path class="fail" d="${crosses}"/>` : ''}
<text x="${WIDTH - PAD}" y="11" text-anchor="end">${Math.round(max)} ms</text></svg>`;
}
