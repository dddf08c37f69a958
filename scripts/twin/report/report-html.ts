/**
 * The demo's report: one self-contained HTML file (inline CSS and SVG, no script, no external asset) with the
 * summary, the lifecycle timeline, the gate results per version, the production endpoint's canary metrics, the
 * drift histograms (baseline against current per drifted feature) and the audit ledger's verification.
 */
import { formatDuration, type ScenarioSummary } from '../scenarios/summary';
import type { TimelineEntry } from '../scenarios/timeline';

export interface MetricSeries {
  label: string;
  unit: string;
  /** Minute by minute. */
  points: { atMs: number; value: number }[];
  threshold?: number;
}

export interface DriftHistogram {
  feature: string;
  method: string;
  distance: number;
  threshold: number;
  /** Bucket labels with the share of baseline and current values in each. */
  buckets: { label: string; baseline: number; current: number }[];
}

export interface ReportData {
  title: string;
  description: string;
  group: string;
  startMs: number;
  endMs: number;
  summary: ScenarioSummary;
  timeline: TimelineEntry[];
  gates: { version: number; passed: boolean; results: { gate: string; passed: boolean; message: string; observed?: number | string; threshold?: string }[] }[];
  metrics: MetricSeries[];
  /** Moments to mark on the metric charts (canary start, rollback, promotion). */
  markers: { atMs: number; label: string }[];
  drift: DriftHistogram[];
  ledger: { records: number; verified: boolean; output: string };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function elapsed(atMs: number, startMs: number): string {
  const ms = atMs - startMs;
  const day = Math.floor(ms / 86_400_000);
  return `d${day} ${new Date(atMs).toISOString().slice(11, 19)}`;
}

function summaryCards(s: ScenarioSummary): string {
  const cards: [string, string][] = [
    ['Lead time push → production', formatDuration(s.leadTimeMs)],
    ['Rollback time (alarm → rollback)', formatDuration(s.rollbackTimeMs)],
    ['Drift detection time', formatDuration(s.driftDetectionMs)],
    ['Versions passing the gates', `${s.versionsPassedGates} of ${s.versionsGated}`],
    ['Gate checks passed', `${s.gateChecksPassed} of ${s.gateChecksRun}`],
    ['Promotions / rollbacks', `${s.promotions} / ${s.rollbacks}`],
    ['Retraining runs started', String(s.retrainsStarted)],
    ['Audit records written', String(s.auditRecords)],
    ['Live in production', s.liveVersion !== undefined ? `v${s.liveVersion}` : 'none'],
  ];
  return `<div class="cards">${cards.map(([k, v]) => `<div class="card"><div class="k">${escapeHtml(k)}</div><div class="v">${escapeHtml(v)}</div></div>`).join('')}</div>`;
}

function timelineTable(entries: TimelineEntry[], startMs: number): string {
  const rows = entries
    .map(
      (e) =>
        `<tr class="${e.actor}"><td class="t">${elapsed(e.atMs, startMs)}</td><td>${escapeHtml(e.actor)}</td><td>${escapeHtml(e.type)}</td><td>${e.version !== undefined ? `v${e.version}` : ''}</td><td>${escapeHtml(e.text)}</td></tr>`,
    )
    .join('\n');
  return `<table id="timeline"><thead><tr><th>virtual time</th><th>who</th><th>event</th><th>version</th><th>what and why</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function gatesTables(gates: ReportData['gates']): string {
  if (gates.length === 0) return '<p>No version reached the gates.</p>';
  return gates
    .map(
      (g) =>
        `<h3>v${g.version}: ${g.passed ? '<span class="pass">passed</span>' : '<span class="fail">failed</span>'}</h3><table class="gates"><thead><tr><th>gate</th><th>observed</th><th>threshold</th><th>result</th><th>detail</th></tr></thead><tbody>${g.results
          .map(
            (r) =>
              `<tr><td>${escapeHtml(r.gate)}</td><td>${escapeHtml(r.observed === undefined ? '' : String(r.observed))}</td><td>${escapeHtml(r.threshold ?? '')}</td><td class="${r.passed ? 'pass' : 'fail'}">${r.passed ? 'pass' : 'fail'}</td><td>${escapeHtml(r.message)}</td></tr>`,
          )
          .join('')}</tbody></table>`,
    )
    .join('\n');
}

const W = 760;
const H = 180;
const PAD = 40;

/** A line chart of one series, with its threshold and the markers, as inline SVG. */
export function lineChart(series: MetricSeries, markers: ReportData['markers'], startMs: number, endMs: number): string {
  const max = Math.max(series.threshold ?? 0, ...series.points.map((p) => p.value), 1) * 1.1;
  const span = Math.max(1, endMs - startMs);
  const x = (t: number) => PAD + ((t - startMs) / span) * (W - 2 * PAD);
  const y = (v: number) => H - PAD / 2 - (v / max) * (H - PAD);
  const path = series.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.atMs).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const threshold =
    series.threshold !== undefined
      ? `<line class="threshold" x1="${PAD}" x2="${W - PAD}" y1="${y(series.threshold).toFixed(1)}" y2="${y(series.threshold).toFixed(1)}"/><text x="${W - PAD}" y="${(y(series.threshold) - 4).toFixed(1)}" text-anchor="end">threshold ${series.threshold}</text>`
      : '';
  const marks = markers
    .filter((m) => m.atMs >= startMs && m.atMs <= endMs)
    // Labels on three staggered rows, so markers close in time stay readable.
    .map((m, i) => `<line class="marker" x1="${x(m.atMs).toFixed(1)}" x2="${x(m.atMs).toFixed(1)}" y1="${PAD / 2}" y2="${H - PAD / 2}"/><text class="marker" x="${(x(m.atMs) + 3).toFixed(1)}" y="${PAD / 2 + 10 + (i % 3) * 11}">${escapeHtml(m.label)}</text>`)
    .join('');
  return `<figure><figcaption>${escapeHtml(series.label)} (${escapeHtml(series.unit)}), max ${Math.max(0, ...series.points.map((p) => p.value)).toFixed(1)}</figcaption><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(series.label)}"><line class="axis" x1="${PAD}" x2="${W - PAD}" y1="${H - PAD / 2}" y2="${H - PAD / 2}"/>${threshold}${marks}<path class="series" d="${path}"/></svg></figure>`;
}

/** Baseline against current per bucket, as paired bars. */
export function histogram(h: DriftHistogram): string {
  const n = Math.max(1, h.buckets.length);
  const max = Math.max(0.01, ...h.buckets.flatMap((b) => [b.baseline, b.current]));
  const bw = (W - 2 * PAD) / n;
  const y = (v: number) => H - PAD - (v / max) * (H - 1.5 * PAD);
  const bars = h.buckets
    .map((b, i) => {
      const x0 = PAD + i * bw;
      return `<rect class="baseline" x="${(x0 + 1).toFixed(1)}" y="${y(b.baseline).toFixed(1)}" width="${(bw / 2 - 1).toFixed(1)}" height="${(H - PAD - y(b.baseline)).toFixed(1)}"/><rect class="current" x="${(x0 + bw / 2).toFixed(1)}" y="${y(b.current).toFixed(1)}" width="${(bw / 2 - 1).toFixed(1)}" height="${(H - PAD - y(b.current)).toFixed(1)}"/>${
        n <= 12 ? `<text x="${(x0 + bw / 2).toFixed(1)}" y="${H - PAD + 14}" text-anchor="middle">${escapeHtml(b.label)}</text>` : ''
      }`;
    })
    .join('');
  const verdict = h.distance > h.threshold ? 'fail' : 'pass';
  return `<figure class="drift"><figcaption>${escapeHtml(h.feature)}: ${escapeHtml(h.method)} <span class="${verdict}">${h.distance.toFixed(3)}</span> against threshold ${h.threshold} <span class="legend"><i class="baseline"></i>baseline <i class="current"></i>current</span></figcaption><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(h.feature)} histogram">${bars}</svg></figure>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#1b1f24}h1{margin-bottom:0}.sub{color:#57606a}
.cards{display:grid;grid-template-columns:repeat(3,1fr);gap:8px;margin:1em 0}.card{border:1px solid #d0d7de;border-radius:6px;padding:8px}.k{color:#57606a;font-size:12px}.v{font-size:20px;font-weight:600}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}td,th{border-bottom:1px solid #eaeef2;padding:3px 6px;text-align:left;vertical-align:top}td.t{white-space:nowrap;font-family:ui-monospace,monospace}
tr.control-plane td{background:#f6f8fa}.pass{color:#1a7f37;font-weight:600}.fail{color:#cf222e;font-weight:600}
svg{background:#fff;border:1px solid #eaeef2}svg text{font-size:10px;fill:#57606a}.series{fill:none;stroke:#0969da;stroke-width:1.5}.threshold{stroke:#cf222e;stroke-dasharray:4 3}.marker{stroke:#8250df;stroke-dasharray:2 2}text.marker{fill:#8250df}.axis{stroke:#8c959f}
rect.baseline,i.baseline{fill:#8c959f;background:#8c959f}rect.current,i.current{fill:#0969da;background:#0969da}.legend i{display:inline-block;width:10px;height:10px;margin:0 3px 0 10px}
pre{background:#f6f8fa;padding:8px;overflow:auto}`;

export function renderReport(d: ReportData): string {
  const metrics = d.metrics.length > 0 ? d.metrics.map((m) => lineChart(m, d.markers, d.startMs, d.endMs)).join('\n') : '<p>No production traffic in this scenario.</p>';
  const drift = d.drift.length > 0 ? d.drift.map(histogram).join('\n') : '<p>No drift check ran with drift in this scenario.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>creditai-mlops: ${escapeHtml(d.title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(d.title)}</h1>
<p class="sub">Model group <b>${escapeHtml(d.group)}</b> on the local AWS twin, virtual time ${new Date(d.startMs).toISOString()} → ${new Date(d.endMs).toISOString()}. ${escapeHtml(d.description)}</p>
<section id="summary"><h2>Summary</h2>${summaryCards(d.summary)}</section>
<section><h2>Timeline</h2>${timelineTable(d.timeline, d.startMs)}</section>
<section id="gates"><h2>Gates</h2>${gatesTables(d.gates)}</section>
<section id="canary"><h2>Production endpoint metrics</h2>${metrics}</section>
<section id="drift"><h2>Drift</h2>${drift}</section>
<section id="ledger"><h2>Audit ledger</h2><p>${d.ledger.records} records, chain ${d.ledger.verified ? '<span class="pass">verified</span>' : '<span class="fail">BROKEN</span>'}.</p><pre>${escapeHtml(d.ledger.output)}</pre></section>
</body></html>
`;
}
