import type { GraphNodeKind } from './result-graph.js';

/** Fill colours of graph nodes, shared by the legend and the cytoscape style. */
export const KIND_COLORS: Record<GraphNodeKind, string> = {
  ssot: '#2da44e',
  implementation: '#d4a72c',
  factory: '#e16f24',
  'legacy-module': '#cf222e',
  consumer: '#8c959f',
  module: '#6e77f7',
};

/**
 * The page's script, plain ES5-style JS run after cytoscape. It reads the embedded JSON
 * (`#ssot-data`: `{ graph, colors }`), draws the graph, then marks the container with
 * `data-node-count` and sets `window.__ssotGraphReady` so tests can wait for it; and it filters the
 * findings table by rule, severity and file text.
 */
export const HTML_SCRIPT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('ssot-data').textContent);
  var container = document.getElementById('graph');
  var info = document.getElementById('graph-info');
  var elements = [];
  data.graph.nodes.forEach(function (n) {
    // Files are drawn by their base name (the full path shows on tap), which keeps the picture legible.
    var label = n.kind === 'consumer' || n.kind === 'module' ? n.label.split('/').pop() : n.label;
    elements.push({ data: { id: n.id, label: label, kind: n.kind, group: n.group || '', file: n.file || '' } });
  });
  var cycleNodes = {};
  data.graph.edges.forEach(function (e, i) {
    if (e.kind === 'cycle') { cycleNodes[e.from] = true; cycleNodes[e.to] = true; }
    elements.push({ data: { id: 'e' + i, source: e.from, target: e.to, kind: e.kind, label: e.label || '' } });
  });
  var style = [
    { selector: 'node', style: { label: 'data(label)', 'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 3, width: 14, height: 14, 'min-zoomed-font-size': 6, 'background-color': '#8c959f' } },
    { selector: 'node[kind = "ssot"]', style: { shape: 'star', width: 26, height: 26, 'font-size': 14, 'font-weight': 'bold' } },
    { selector: 'node[kind = "factory"]', style: { shape: 'hexagon', width: 18, height: 18, 'font-size': 12 } },
    { selector: 'node[kind = "implementation"]', style: { shape: 'round-rectangle', width: 22, height: 18, 'font-size': 13, 'font-weight': 'bold' } },
    { selector: 'node[kind = "legacy-module"]', style: { shape: 'barrel', width: 20, height: 20, 'font-size': 12 } },
    { selector: 'node.in-cycle', style: { 'border-color': '#cf222e', 'border-width': 3 } },
    { selector: 'edge', style: { width: 1, 'line-color': '#c2c8cf', 'target-arrow-color': '#c2c8cf', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier', 'arrow-scale': 0.7 } },
    { selector: 'edge[kind = "legacy-import"]', style: { 'line-style': 'dashed', 'line-color': '#f5a3a8', 'target-arrow-color': '#f5a3a8' } },
    { selector: 'edge[kind = "implements"]', style: { 'line-style': 'dotted', 'line-color': '#2da44e', 'target-arrow-color': '#2da44e', 'target-arrow-shape': 'triangle-backcurve' } },
    { selector: 'edge[kind = "cycle"]', style: { width: 3, 'line-color': '#cf222e', 'target-arrow-color': '#cf222e', label: 'cycle', 'font-size': 9, color: '#cf222e' } },
    { selector: '.faded', style: { opacity: 0.15 } }
  ];
  Object.keys(data.colors).forEach(function (kind) {
    style.push({ selector: 'node[kind = "' + kind + '"]', style: { 'background-color': data.colors[kind] } });
  });
  var cy = cytoscape({ container: container, elements: elements, style: style });
  Object.keys(cycleNodes).forEach(function (id) { cy.getElementById(id).addClass('in-cycle'); });
  cy.on('tap', 'node', function (event) {
    var node = event.target;
    var near = node.closedNeighborhood();
    cy.elements().addClass('faded');
    near.removeClass('faded');
    var where = [node.data('group') && 'group ' + node.data('group'), node.data('file')].filter(Boolean);
    info.textContent = node.data('label') + (where.length ? ' (' + where.join(', ') + ')' : '') + ': ' + node.connectedEdges().length + ' edge(s)';
  });
  cy.on('tap', function (event) {
    if (event.target === cy) { cy.elements().removeClass('faded'); info.textContent = ''; }
  });
  // A circle first, so the force-directed pass starts from the same positions on every load.
  cy.layout({ name: 'circle', animate: false }).run();
  var layout = cy.layout({ name: 'cose', animate: false, randomize: false, nodeRepulsion: function () { return 120000; }, idealEdgeLength: function () { return 50; }, nodeOverlap: 20, gravity: 0.5, numIter: 2000, padding: 20 });
  layout.one('layoutstop', function () {
    container.setAttribute('data-node-count', String(cy.nodes().length));
    window.__ssotGraphReady = true;
  });
  layout.run();

  var rule = document.getElementById('filter-rule');
  var severity = document.getElementById('filter-severity');
  var file = document.getElementById('filter-file');
  var count = document.getElementById('filter-count');
  function applyFilters() {
    var text = file.value.trim().toLowerCase();
    var rows = document.querySelectorAll('#findings tbody tr');
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var ok = (!rule.value || row.getAttribute('data-rule') === rule.value) && (!severity.value || row.getAttribute('data-severity') === severity.value) && (!text || row.getAttribute('data-file').toLowerCase().indexOf(text) !== -1);
      row.hidden = !ok;
      if (ok) shown++;
    }
    count.textContent = shown + ' of ' + rows.length + ' findings';
  }
  [rule, severity, file].forEach(function (el) { el.addEventListener('input', applyFilters); });
  applyFilters();
})();
`;
