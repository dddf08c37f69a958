/**
 * The model dossier as one self-contained HTML page: inline CSS, no script, no external asset (an auditor may open
 * it years later, offline). Every piece of text from the ledger or the registry is escaped. Pure.
 */
import type { ApprovalEntry, Dossier, TimelineEntry } from './dossier';

/** Text as HTML: the five characters that can change markup, escaped. */
export function escapeHtml(text: unknown): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}code,.hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.ok{color:#1a7f37;font-weight:600}.bad{color:#cf222e;font-weight:600}.muted{color:#57606a}
.banner{padding:.6rem .8rem;border-radius:6px;margin:.8rem 0}.banner.ok{background:#dafbe1}.banner.bad{background:#ffebe9}
.bar{display:inline-block;height:.7rem;background:#0969da;vertical-align:middle;margin-right:.4rem}
`;

const cell = (value: unknown, cls = ''): string => `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(value)}</td>`;
const code = (value: unknown): string => `<td class="hash">${escapeHtml(value)}</td>`;
/** A marker on what comes from a record the chain does not vouch for. */
const unproven = (verified: boolean): string => (verified ? '' : ' <span class="bad">[UNPROVEN: after the chain\'s break]</span>');
const yes = (passed: boolean): string => (passed ? '<td class="ok">passed</td>' : '<td class="bad">FAILED</td>');

function table(headers: string[], rows: string[], empty: string): string {
  if (rows.length === 0) return `<p class="muted">${escapeHtml(empty)}</p>`;
  return `<table><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r}</tr>`).join('')}</tbody></table>`;
}

function ledgerSection(d: Dossier): string {
  const l = d.ledger;
  const verdict = l.whole
    ? `<div class="banner ok">Chain whole: ${l.recordsVerified} records verified from the genesis record${l.head ? `; head ${l.head.sequence}, sha256 <code>${escapeHtml(l.head.sha256)}</code>` : ''}.</div>`
    : `<div class="banner bad">Chain BROKEN at <code>${escapeHtml(l.break?.key)}</code> (${escapeHtml(l.break?.code)}): ${escapeHtml(l.break?.reason)}. ${l.recordsVerified} records verified before it; records from the break on are unproven${l.break?.code === 'previous-hash-mismatch' ? ', and so is the record before it (a link that does not match exposes a change to the record it links to)' : ''}.</div>`;
  return `<h2>Audit ledger verification</h2>${verdict}<p>Source: <code>${escapeHtml(d.sources.ledger)}</code>. ${l.recordsOfVersion} record(s) concern this version.</p>`;
}

function lineageSection(d: Dossier): string {
  const value = d.lineage.value;
  if (!value) return '<h2>Lineage</h2><p class="bad">No lineage is recorded for this version.</p>';
  const rows = [
    `<th>training data</th>${code(value.trainingDataUri ?? '—')}`,
    `<th>training data hash</th>${code(value.trainingDataHash ?? '—')}`,
    `<th>code commit</th>${code(value.commitId ?? '—')}`,
    `<th>pipeline execution</th>${code(value.pipelineExecutionArn ?? '—')}`,
    `<th>hyperparameters</th>${code(Object.entries(value.hyperparameters ?? {}).map(([k, v]) => `${k}=${v}`).join(', ') || '—')}`,
    `<th>container image digests</th>${code((value.imageDigests ?? []).join(', ') || 'not recorded')}`,
  ];
  return `<h2>Lineage</h2><p class="muted">As ${d.lineage.source === 'registry' ? 'the model registry describes it now' : 'recorded in the ledger when the version was gated'}.</p><table><tbody>${rows.map((r) => `<tr>${r}</tr>`).join('')}</tbody></table>`;
}

function gatesSection(d: Dossier): string {
  if (d.gates.length === 0) return '<h2>Gates</h2><p class="muted">No gate decision is recorded for this version.</p>';
  return `<h2>Gates</h2>${d.gates
    .map((g) => {
      const results = table(['gate', 'result', 'observed', 'threshold', 'message'], g.results.map((r) => `${cell(r.gate)}${yes(r.passed)}${cell(r.observed ?? '—')}${cell(r.threshold ?? '—')}${cell(r.message)}`), 'No gate results.');
      const evidence = table(['report', 'S3 URI', 'SHA-256 of the bytes the gates read'], g.evidence.map((e) => `${cell(e.report)}${code(e.uri)}${code(e.sha256)}`), 'No report hashes were recorded (a record written before issue 5).');
      const thresholds = g.thresholds
        ? `<p>Thresholds: AUC ≥ ${escapeHtml(g.thresholds.minAuc)}, KS ≥ ${escapeHtml(g.thresholds.minKs)}, DI in [${escapeHtml(g.thresholds.disparateImpact.min)}, ${escapeHtml(g.thresholds.disparateImpact.max)}], |DPPL| ≤ ${escapeHtml(g.thresholds.maxAbsDppl)}.</p>`
        : '';
      return `<p>Record ${g.sequence}, ${escapeHtml(g.at)}: <span class="${g.passed ? 'ok' : 'bad'}">${g.passed ? 'passed every gate' : 'failed'}</span>.${unproven(g.verified)}</p>${thresholds}${results}<h3>Evidence</h3>${evidence}`;
    })
    .join('')}`;
}

function biasSection(d: Dossier): string {
  const names = [...new Set(d.bias.flatMap((b) => Object.keys(b.metrics)))].sort();
  const rows = d.bias.map((b) => `${cell(b.stage)}${cell(b.facet)}${cell(b.value)}${names.map((n) => cell(b.metrics[n] === undefined ? '' : (b.metrics[n] ?? 'null'))).join('')}`);
  return `<h2>Bias (Clarify)</h2>${table(['stage', 'facet', 'value', ...names], rows, 'No bias figures are recorded.')}`;
}

function shapSection(d: Dossier): string {
  if (d.shap.length === 0) return '<h2>Global SHAP values</h2><p class="muted">No SHAP values are recorded.</p>';
  return `<h2>Global SHAP values</h2>${d.shap
    .map(({ label, features }) => {
      const max = Math.max(...features.map((f) => Math.abs(f.value)), Number.MIN_VALUE);
      const rows = features.map((f) => `${cell(f.feature)}<td><span class="bar" style="width:${Math.round((Math.abs(f.value) / max) * 200)}px"></span>${escapeHtml(f.value)}</td>`);
      return `<p>Label <code>${escapeHtml(label)}</code></p>${table(['feature', 'mean |SHAP|'], rows, 'No features.')}`;
    })
    .join('')}`;
}

function approvalsSection(entries: ApprovalEntry[]): string {
  const rows = entries.map((a) => `${cell(a.at)}${cell(a.kind, a.kind === 'approved' ? 'ok' : a.kind === 'rejected' || a.kind === 'unverified' ? 'bad' : '')}${cell(a.environment ?? '—')}${code(a.actor ? `${a.actor.arn} (${a.actor.kind}${a.actor.source ? `, from ${a.actor.source}` : ''})` : '—')}<td>${escapeHtml(a.reason)}${unproven(a.verified)}</td>`);
  return `<h2>Approvals</h2>${table(['when', 'what', 'environment', 'who', 'stated reason'], rows, 'No approval is recorded for this version.')}`;
}

function timelineSection(title: string, entries: TimelineEntry[], empty: string): string {
  return `<h2>${escapeHtml(title)}</h2>${table(['when', 'record', 'what', 'summary'], entries.map((e) => `${cell(e.at)}${cell(e.sequence)}${cell(e.kind)}<td>${escapeHtml(e.summary)}${unproven(e.verified)}</td>`), empty)}`;
}

function registrySection(d: Dossier): string {
  if (!d.registry) return '';
  const r = d.registry;
  const rows = [
    `<th>approval status</th>${cell(r.approvalStatus)}`,
    `<th>approval description</th>${cell(r.approvalDescription ?? '—')}`,
    `<th>last modified by</th>${code(r.lastModifiedBy ?? '—')}`,
    `<th>last modified at</th>${cell(r.lastModifiedAt ?? '—')}`,
    `<th>registered at</th>${cell(r.createdAt)}`,
    ...Object.entries(r.reportUris).map(([k, uri]) => `<th>${escapeHtml(k)} report</th>${code(uri ?? '—')}`),
  ];
  return `<h2>Model registry (now)</h2><table><tbody>${rows.map((row) => `<tr>${row}</tr>`).join('')}</tbody></table>`;
}

function recordsSection(d: Dossier): string {
  const rows = d.records.map(
    (r) =>
      `${cell(r.sequence)}${code(r.key)}${cell(r.kind)}${cell(r.occurredAt)}${code(`${r.actor.arn} (${r.actor.kind})`)}${cell(r.summary)}${code(r.sha256)}${cell(r.verified ? 'verified' : 'UNPROVEN', r.verified ? 'ok' : 'bad')}`,
  );
  return `<h2>Ledger records</h2>${table(['#', 'key', 'kind', 'when', 'actor', 'summary', 'sha256 of the stored bytes', 'chain'], rows, 'No ledger record concerns this version.')}`;
}

/** The dossier as a complete HTML document. */
export function renderDossierHtml(d: Dossier): string {
  const title = `Model dossier: ${d.subject.modelGroup} v${d.subject.version}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>Package <code>${escapeHtml(d.subject.packageArn)}</code><br>Generated ${escapeHtml(d.generatedAt)}. ${escapeHtml(d.sources.note)}</p>`,
    ledgerSection(d),
    lineageSection(d),
    gatesSection(d),
    biasSection(d),
    shapSection(d),
    approvalsSection(d.approvals),
    timelineSection('Deployments and rollbacks', d.deployments, 'No deployment is recorded for this version.'),
    timelineSection('Drift and retraining (group)', d.driftAndRetraining, 'No drift, retraining or failed training run is recorded for the group.'),
    registrySection(d),
    recordsSection(d),
    '</body></html>',
    '',
  ].join('\n');
}
