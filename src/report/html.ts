import type { GroupAnalysis } from '../analyze/group-analysis.js';
import type { ScanResult } from '../scan-result.js';
import { coverageLine } from './coverage-line.js';
import { cytoscapeSource, escapeHtml as h, jsonForScript, scriptSafe } from './html-assets.js';
import { HTML_SCRIPT, KIND_COLORS } from './html-script.js';
import { HTML_STYLE } from './html-style.js';
import type { Reporter } from './report-types.js';
import { fitGraph, fittedNote } from './graph-cap.js';
import type { GraphNode } from './result-graph.js';

/**
 * One self-contained HTML page: summary, groups, import cycles, an interactive graph (cytoscape,
 * inlined) and a filterable findings table. Nothing is loaded from the network.
 */
const html: Reporter = (result, options) => {
  // Issue 19, item 8: past HTML_MAX_NODES the picture is a hairball, so it is drawn smaller and says what it leaves out.
  const fitted = fitGraph(result, (graph) => graph.nodes.length <= HTML_MAX_NODES);
  const note = fittedNote(fitted, `at most ${HTML_MAX_NODES} nodes are drawn`);
  const data = { graph: { nodes: fitted.graph.nodes.map((n) => ({ ...n, cluster: clusterOf(n) })), edges: fitted.graph.edges }, colors: KIND_COLORS };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>ssot-kit report</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<h1>ssot-kit report</h1>
<p class="muted"><code>${h(result.root)}</code>${result.config ? ` · config <code>${h(result.config)}</code>` : ''} · ${h(result.tool.name)} ${h(result.tool.version)}</p>
${summary(result, options.notes ?? [])}
${result.status ? migration(result) : ''}
<h2>Groups</h2>
${scrolled(result.groups.map(group)) || '<p class="muted">No groups.</p>'}
<h2>Import cycles</h2>
${cycles(result)}
<h2>Graph</h2>
<div class="legend">${Object.entries(KIND_COLORS).map(([kind, color]) => `<span style="--c:${color}">${h(kind)}</span>`).join('')}<span style="--c:#cf222e">cycle edge</span></div>
${note ? `<p class="note" data-testid="graph-note">${h(note)}</p>` : ''}
<div id="graph" data-testid="graph"></div>
<p id="graph-info" class="muted mono">Boxes are groups and packages; a name shows on hover when it would overlap another. Click a node for its neighbours and full path.</p>
<h2>Findings</h2>
${findings(result)}
<script id="ssot-data" type="application/json">${jsonForScript(data)}</script>
<script>${scriptSafe(cytoscapeSource())}</script>
<script>${scriptSafe(HTML_SCRIPT)}</script>
</body>
</html>
`;
};

function summary(result: ScanResult, notes: string[]): string {
  const { errors, warnings, infos, byRule } = result.summary;
  const cards = [`<div class="card error"><b>${errors}</b>errors</div>`, `<div class="card warning"><b>${warnings}</b>warnings</div>`, `<div class="card info"><b>${infos}</b>info</div>`];
  for (const [rule, n] of Object.entries(byRule).sort()) cards.push(`<div class="card"><b>${n}</b><code>${h(rule)}</code></div>`);
  return `<h2>Summary</h2>
<div class="cards">${cards.join('')}</div>
<p>${h(coverageLine(result))}</p>
${notes.map((n) => `<p>${h(n)}</p>`).join('\n')}`;
}

function group(g: GroupAnalysis, _index: number, all: readonly GroupAnalysis[]): string {
  const open = all.length <= OPEN_GROUPS;
  const rows = g.implementations.map(
    (i) =>
      `<tr><td><code>${h(i.name)}</code>${i.ssot ? ' <span class="badge ssot">SSOT</span>' : ''}</td><td>${h(i.kind)}</td><td><code>${h(i.file)}:${i.line}</code></td><td class="num">${i.consumers.length}</td></tr>`,
  );
  const legacy = g.legacy.map((l) => `<tr><td><code>${h(l.module)}</code>${l.deleted ? ' (deleted)' : ''}</td><td class="num">${l.consumers.length}</td></tr>`);
  // Folded by default past a few groups, so that a large repository's page stays a page (issue 19, item 8).
  return `<details class="group"${open ? ' open' : ''}><summary><h3>Group <code>${h(g.name)}</code>${g.discovered ? ' (discovered)' : ''}</h3> <span class="muted">${g.implementations.length} implementation(s), ${g.legacy.length} legacy module(s)</span></summary>
<p>SSOT: <code>${h(g.ssot.file)}</code>${g.ssot.export ? ` (<code>${h(g.ssot.export)}</code>)` : ''}</p>${discovery(g)}
<table><thead><tr><th>Implementation</th><th>Kind</th><th>File</th><th>Consumers</th></tr></thead><tbody>${rows.join('')}</tbody></table>
${legacy.length ? `<table><thead><tr><th>Legacy module</th><th>Direct consumers</th></tr></thead><tbody>${legacy.join('')}</tbody></table>` : ''}</details>`;
}

/** A discovered group's kind, confidence, weighed evidence and SSOT reasons (issue 18). */
function discovery(g: GroupAnalysis): string {
  const d = g.discovery;
  if (!d) return '';
  const rows = d.evidence.map((e) => `<tr><td>${h(e.kind)}</td><td class="num">${e.weight.toFixed(2)}</td><td>${h(e.detail)}</td></tr>`);
  return `
<p><b>${h(d.kind)}</b>, confidence ${d.confidence.toFixed(2)}${d.ssotReasons.length ? `; SSOT: ${h(d.ssotReasons.join('; '))}` : ''}</p>
<table><thead><tr><th>Evidence</th><th>Weight</th><th>Detail</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Groups shown open; more are folded to one line each. */
const OPEN_GROUPS = 3;

/** Nodes the graph draws at most. */
export const HTML_MAX_NODES = 150;

/**
 * The box a node is drawn in: its group, or for files of no group their package (the folders before
 * `src/`, else the first two), so that a package's modules sit together.
 */
function clusterOf(n: GraphNode): string {
  if (n.group !== undefined) return `group ${n.group}`;
  const file = n.file ?? n.label;
  const at = file.indexOf('/src/');
  if (at > 0) return file.slice(0, at);
  const parts = file.split('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : parts.length === 2 ? parts[0]! : '.';
}

function cycles(result: ScanResult): string {
  const found = result.findings.filter((f) => f.ruleId === 'import-cycle');
  if (!found.length) return '<p class="muted">No import cycles.</p>';
  return scrolled(found.map((f) => {
      const typeOnly = f.messageId === 'typeOnlyCycle';
      const steps = (f.related ?? []).map((s) => `<li><code>${h(s.file)}:${s.line}</code> ${h(s.message)}</li>`).join('');
      return `<details class="cycle${typeOnly ? ' type-only' : ''}"${found.length <= OPEN_GROUPS ? ' open' : ''}><summary><span class="badge ${f.severity}">${typeOnly ? 'type-only' : 'runtime'}</span> <code>${h(f.file)}</code>: ${(f.related ?? []).length} step(s)</summary>${h(f.message)}<ul>${steps}</ul></details>`;
    }));
}

/** Sections of more than OPEN_GROUPS items scroll in a box of their own, so the page keeps its length. */
function scrolled(items: string[]): string {
  return items.length > OPEN_GROUPS ? `<div class="scroll list">${items.join('\n')}</div>` : items.join('\n');
}

function findings(result: ScanResult): string {
  const options = (values: string[]): string => values.map((v) => `<option value="${h(v)}">${h(v)}</option>`).join('');
  const rules = [...new Set(result.findings.map((f) => f.ruleId))].sort();
  const severities = ['error', 'warning', 'info'].filter((s) => result.findings.some((f) => f.severity === s));
  const rows = result.findings.map(
    (f) =>
      `<tr data-rule="${h(f.ruleId)}" data-severity="${f.severity}" data-file="${h(f.file)}"><td><code>${h(f.file)}:${f.line}:${f.column}</code></td><td><span class="badge ${f.severity}">${f.severity}</span></td><td><code>${h(f.ruleId)}</code></td><td>${h(f.message)}</td></tr>`,
  );
  return `<div class="filters">
<label>Rule <select id="filter-rule"><option value="">all</option>${options(rules)}</select></label>
<label>Severity <select id="filter-severity"><option value="">all</option>${options(severities)}</select></label>
<label>File <input id="filter-file" type="search" placeholder="path contains…"></label>
<span id="filter-count" class="muted"></span>
</div>
<div class="scroll"><table id="findings"><thead><tr><th>Location</th><th>Severity</th><th>Rule</th><th>Message</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

export default html;

const LINE_COLORS = ['#0969da', '#cf222e', '#1a7f37', '#9a6700', '#8250df', '#bc4c00'];

/** The migration status table and, with history, a burndown chart (files still on legacy modules per commit). */
function migration(result: ScanResult): string {
  const status = result.status!;
  const rows = status.groups.map(
    (g) =>
      `<tr><td><code>${h(g.group)}</code></td><td><span class="badge">${h(g.phase)}</span></td><td class="num">${g.onSsot}</td><td class="num">${g.onLegacy}</td><td class="num">${g.competingFactories}</td><td class="num">${g.factoryBypasses}</td><td class="num">${g.legacyModules}</td><td class="num">${g.facades}</td><td class="num">${g.removed}</td></tr>`,
  );
  return `<h2>Migration status</h2>
<table><thead><tr><th>Group</th><th>Phase</th><th>On SSOT</th><th>On legacy</th><th>Factories</th><th>Bypasses</th><th>Legacy modules</th><th>Facades</th><th>Removed</th></tr></thead><tbody>${rows.join('')}</tbody></table>
${status.history?.length ? burndown(status) : ''}`;
}

function burndown(status: NonNullable<ScanResult['status']>): string {
  const history = status.history!;
  const names = status.groups.map((g) => g.group);
  const W = 640;
  const H = 220;
  const pad = 36;
  const max = Math.max(1, ...history.flatMap((c) => c.groups.map((g) => g.onLegacy)));
  const x = (i: number): number => pad + (history.length === 1 ? (W - 2 * pad) / 2 : (i * (W - 2 * pad)) / (history.length - 1));
  const y = (v: number): number => H - pad - (v / max) * (H - 2 * pad);
  const lines = names.map((name, k) => {
    const points = history.map((c, i) => `${x(i).toFixed(1)},${y(c.groups.find((g) => g.group === name)?.onLegacy ?? 0).toFixed(1)}`).join(' ');
    return `<polyline fill="none" stroke="${LINE_COLORS[k % LINE_COLORS.length]}" stroke-width="2" points="${points}"><title>${h(name)}</title></polyline>`;
  });
  const ticks = history.map((c, i) => `<text x="${x(i).toFixed(1)}" y="${H - 12}" font-size="10" text-anchor="middle">${h(c.commit.slice(0, 7))}</text>`);
  const legend = names.map((name, k) => `<span style="--c:${LINE_COLORS[k % LINE_COLORS.length]}">${h(name)}</span>`).join('');
  return `<h3>Burndown: files on legacy modules, last ${history.length} commits</h3>
<div class="legend">${legend}</div>
<svg id="burndown" data-testid="burndown" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="burndown">
<line x1="${pad}" y1="${H - pad}" x2="${W - pad}" y2="${H - pad}" stroke="#999"/><line x1="${pad}" y1="${pad}" x2="${pad}" y2="${H - pad}" stroke="#999"/>
<text x="${pad - 6}" y="${y(max) + 4}" font-size="10" text-anchor="end">${max}</text><text x="${pad - 6}" y="${H - pad + 4}" font-size="10" text-anchor="end">0</text>
${lines.join('\n')}
${ticks.join('')}
</svg>`;
}
