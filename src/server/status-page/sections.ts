// The status page's content (the part the page re-fetches): summary, resources by layer, pending
// plan, probes, reconciles, operator actions. Pure: DaemonStatus + probe history → markup. Every
// state is written as a word and a symbol; colour only repeats it.
import type { DaemonStatus, ReconcileRecord, ResourceStatus } from '../../daemon-status.js';
import type { ProbeSeries } from '../../probe/history.js';
import { groupByDisplayLayer } from '../../graph/display-layers.js';
import { html, type Html } from './html.js';
import { latencyChart } from './latency-chart.js';
import { compareText } from '../../compare-text.js';

export interface PageInput {
  status: DaemonStatus;
  history: ProbeSeries[];
  now: number;
  historyWindowMs: number;
}

const STATE_LABEL: Record<string, string> = {
  'in-sync': '✓ in sync', drifted: '~ drifted', missing: '+ missing', 'to-delete': '− to delete', blocked: '! blocked', failed: '✗ failed', skipped: '… skipped',
};

// grpc/status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html).
const GRPC_CODES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];
const grpcName = (code: number | null) => (code === null ? '—' : `${code} ${GRPC_CODES[code] ?? ''}`.trim());

function short(value: unknown): string {
  const text = value === undefined ? '(none)' : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function shortRevision(revision: string | null): string {
  if (!revision) return '—';
  return revision.replace(/@sha1:([0-9a-f]{7})[0-9a-f]+$/, '@$1');
}

/** The state shown: the last reconcile's failure or skip of a resource outranks its planned state. */
function shownState(r: ResourceStatus, last: ReconcileRecord | null): { state: string; reason?: string } {
  const failure = last?.failures.find((f) => f.id === r.id);
  if (failure) return { state: 'failed', reason: failure.error };
  const skipped = last?.skipped.find((s) => s.id === r.id);
  if (skipped && r.state !== 'in-sync') return { state: 'skipped', reason: skipped.because };
  return { state: r.state, reason: r.reason };
}

/** "yes — applying: 2 done, 0 failed, 0 skipped" and each change under way with its latest message, from the engine's events. */
function reconcilingNow(s: DaemonStatus): Html | string {
  if (!s.reconciling) return 'no';
  const p = s.progress;
  if (!p) return 'yes';
  const counts = p.phase === 'observing' ? `reading live state: ${p.kinds.observed}/${p.kinds.total} kinds`
    : `applying: ${p.changes.done} done, ${p.changes.failed} failed, ${p.changes.skipped} skipped`;
  const underWay = p.inFlight.map((c) => html`<li><code>${c.id}</code>${c.message ? html`: ${c.message}` : ''}</li>`);
  return html`yes — ${counts}${p.retries ? `, ${p.retries} retried call(s)` : ''}${underWay.length ? html`<ul>${underWay}</ul>` : ''}`;
}

function summary(s: DaemonStatus): Html {
  const conditions = s.conditions.map((c) => html`<li><strong>${c.type}</strong>: ${c.status} — ${c.reason}${c.message ? html`: ${c.message}` : ''}</li>`);
  const diagnostics = s.spec.valid ? '' : html`<h3>The spec at HEAD is invalid</h3><ul>${s.spec.diagnostics.map((d) =>
    html`<li class="st-failed">✗ ${d.file}:${d.line}:${d.column} ${d.summary}${d.detail ? html` — ${d.detail}` : ''}</li>`)}</ul>`;
  return html`<section aria-labelledby="h-summary"><h2 id="h-summary">Summary</h2>
<dl class="facts"><dt>Branch</dt><dd>${s.branch}</dd><dt>Commit</dt><dd><code>${s.commit?.slice(0, 12) ?? '—'}</code></dd><dt>Mode</dt><dd>${s.mode}</dd>
<dt>Last applied</dt><dd><code>${shortRevision(s.lastAppliedRevision)}</code></dd><dt>Reconciling now</dt><dd>${reconcilingNow(s)}</dd>
${s.retry ? html`<dt>Retry</dt><dd>after ${s.retry.consecutiveFailures} failure(s), at ${s.retry.at}</dd>` : ''}</dl>
<ul class="conditions">${conditions}</ul>${diagnostics}</section>`;
}

function resources(s: DaemonStatus): Html {
  if (s.resources.length === 0) return html`<section aria-labelledby="h-resources"><h2 id="h-resources">Resources</h2><p>No plan yet: the first reconcile has not finished.</p></section>`;
  const layers = groupByDisplayLayer(s.resources, (r) => r.id).map(({ layer, items }) => {
    const counts = new Map<string, number>();
    for (const r of items) counts.set(shownState(r, s.lastReconcile).state, (counts.get(shownState(r, s.lastReconcile).state) ?? 0) + 1);
    const rows = items.map((r) => {
      const shown = shownState(r, s.lastReconcile);
      const drift = r.drift.length === 0 ? '' : html`<ul class="drift">${r.drift.map((f) => html`<li><code class="path">${f.path}</code>: ${short(f.old)} → ${short(f.new)}</li>`)}</ul>`;
      return html`<tr class="resource" data-id="${r.id}" data-state="${r.state}" data-shown-state="${shown.state}"><th scope="row"><code>${r.id}</code></th><td>${r.kind}</td>
<td class="state st-${shown.state}">${STATE_LABEL[shown.state] ?? shown.state}</td><td>${shown.reason ? html`<p class="reason">${shown.reason}</p>` : ''}${drift}</td></tr>`;
    });
    return html`<h3 id="layer-${layer.key}">${layer.title} <span class="count">(${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')})</span></h3>
<div class="scroll"><table><caption class="visually-hidden">${layer.title} resources</caption><thead><tr><th scope="col">Resource</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col">Details</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  });
  return html`<section aria-labelledby="h-resources"><h2 id="h-resources">Resources</h2>${layers}</section>`;
}

function pendingPlan(s: DaemonStatus): Html {
  const verbs: Record<string, string> = { missing: '+ create', drifted: '~ update', 'to-delete': '− delete', blocked: '! blocked' };
  const pending = s.resources.filter((r) => r.state !== 'in-sync');
  const body = pending.length === 0 ? html`<p>No changes pending: live state matches the spec.</p>`
    : html`<ul class="plan">${pending.map((r) => html`<li><span class="st-${r.state}">${verbs[r.state] ?? r.state}</span> <code>${r.id}</code>${r.reason ? html` — ${r.reason}` : ''}${
      r.drift.length ? html` (${r.drift.map((f) => f.path).join(', ')})` : ''}</li>`)}</ul>`;
  return html`<section aria-labelledby="h-plan"><h2 id="h-plan">Pending plan</h2>${body}</section>`;
}

function probes(s: DaemonStatus, input: PageInput): Html {
  if (s.probes.length === 0) return html`<section aria-labelledby="h-probes"><h2 id="h-probes">Probes</h2><p>No probe results yet.</p></section>`;
  const rows = [...s.probes].sort((a, b) => compareText(a.service, b.service)).map((p) => {
    const points = input.history.find((h) => h.service === p.service)?.points ?? [];
    const codes = new Map<number, number>();
    for (const point of points) codes.set(point.grpcStatus, (codes.get(point.grpcStatus) ?? 0) + 1);
    const result = p.success === null ? '—' : p.success ? '✓ passing' : '✗ failing';
    return html`<tr class="probe" data-service="${p.service}"><th scope="row">${p.service}<br><code class="method">${p.method}</code></th>
<td class="state st-${p.success ? 'in-sync' : 'failed'}">${result}${p.message && !p.success ? html`<p class="reason">${p.message}</p>` : ''}<p class="when">${p.at ?? ''}</p></td>
<td>${grpcName(p.grpcStatus)}<ul class="codes">${[...codes].sort(([a], [b]) => a - b).map(([code, n]) => html`<li>${grpcName(code)} ×${n}</li>`)}</ul></td>
<td>${p.durationMs ?? '—'} ms</td><td>${latencyChart(p.service, points, input.now, input.historyWindowMs)}</td></tr>`;
  });
  return html`<section aria-labelledby="h-probes"><h2 id="h-probes">Probes</h2><div class="scroll"><table><caption class="visually-hidden">Probes</caption>
<thead><tr><th scope="col">Service</th><th scope="col">Last result</th><th scope="col">gRPC status (last hour)</th><th scope="col">Last latency</th><th scope="col">Latency, last hour</th></tr></thead>
<tbody>${rows}</tbody></table></div></section>`;
}

function reconciles(s: DaemonStatus): Html {
  if (s.reconciles.length === 0) return html`<section aria-labelledby="h-reconciles"><h2 id="h-reconciles">Recent reconciles</h2><p>None yet.</p></section>`;
  const ok = new Set(['success']);
  const rows = s.reconciles.map((r) => html`<tr><td>${r.startedAt}</td><td><code>${shortRevision(r.revision)}</code></td><td>${r.trigger}</td>
<td class="state st-${ok.has(r.outcome) ? 'in-sync' : r.outcome === 'drifted' ? 'drifted' : 'failed'}">${ok.has(r.outcome) ? '✓' : '✗'} ${r.outcome}${r.error ? html`<p class="reason">${r.error}</p>` : ''}</td>
<td>${(r.durationMs / 1000).toFixed(1)} s</td><td>${r.changes} planned, ${r.applied.length} applied, ${r.failures.length} failed, ${r.pending} pending</td></tr>`);
  return html`<section aria-labelledby="h-reconciles"><h2 id="h-reconciles">Recent reconciles</h2><div class="scroll"><table><caption class="visually-hidden">Recent reconciles, newest first</caption>
<thead><tr><th scope="col">Started</th><th scope="col">Commit</th><th scope="col">Trigger</th><th scope="col">Outcome</th><th scope="col">Duration</th><th scope="col">Changes</th></tr></thead>
<tbody>${rows}</tbody></table></div></section>`;
}

function operatorActions(s: DaemonStatus): Html {
  const body = s.operatorActions.length === 0 ? html`<p>Nothing to do.</p>`
    : html`<ul class="actions">${s.operatorActions.map((a) => html`<li class="${a.done ? 'st-in-sync' : 'st-blocked'}">${a.done ? '✓ done' : '! to do'}: <strong>${a.summary}</strong>${a.detail ? html`<pre>${a.detail}</pre>` : ''}</li>`)}</ul>`;
  return html`<section aria-labelledby="h-actions"><h2 id="h-actions">Operator actions</h2>${body}</section>`;
}

/** The re-fetchable content of the page. */
export function pageContent(input: PageInput): Html {
  const s = input.status;
  return html`${summary(s)}${operatorActions(s)}${pendingPlan(s)}${resources(s)}${probes(s, input)}${reconciles(s)}
<p class="updated">Rendered at <time datetime="${new Date(input.now).toISOString()}">${new Date(input.now).toISOString()}</time></p>`;
}
