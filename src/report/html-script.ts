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
 * (`#ssot-data`: `{ graph, colors }`), draws the graph in boxes per group and package, names what fits
 * without overlap (the rest on hover), then marks the container with `data-node-count` and sets
 * `window.__ssotGraphReady` (and `window.__ssotGraph`, the cytoscape instance) so tests can wait for it and
 * measure it; and it filters the findings table by rule, severity and file text.
 */
export const HTML_SCRIPT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('ssot-data').textContent);
  var container = document.getElementById('graph');
  var info = document.getElementById('graph-info');
  var elements = [];
  var clusters = {};
  data.graph.nodes.forEach(function (n) {
    // Files are drawn by their base name (the full path shows on tap), which keeps the picture legible;
    // a folder node keeps its folder and count.
    var folder = n.id.indexOf('folder:') === 0;
    var label = (n.kind === 'consumer' || n.kind === 'module' || n.kind === 'legacy-module') && !folder ? n.label.split('/').pop() : n.label;
    // A folder node keeps its last two folders and its count (packages/a/src/features/ (7 files) -> …/src/features/ (7 files)).
    if (folder) label = label.replace(/^(?:[^/ ]+\/)+(?=(?:[^/ ]+\/){2} )/, '…/');
    var parent = 'cluster:' + n.cluster;
    if (!clusters[parent]) {
      clusters[parent] = true;
      elements.push({ data: { id: parent, label: n.cluster, kind: 'cluster' } });
    }
    elements.push({ data: { id: n.id, label: label, kind: n.kind, group: n.group || '', file: n.file || '', parent: parent } });
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
    { selector: 'node[kind = "cluster"]', style: { shape: 'round-rectangle', 'background-color': '#f6f8fa', 'background-opacity': 0.6, 'border-width': 1, 'border-color': '#d0d7de', 'text-valign': 'top', 'text-halign': 'center', 'text-margin-y': -2, 'font-size': 12, 'font-weight': 'normal', color: '#57606a', padding: 14 } },
    { selector: 'node.quiet', style: { 'text-opacity': 0 } },
    { selector: 'node.hover', style: { 'text-opacity': 1, 'z-index': 999, 'text-background-color': '#fff', 'text-background-opacity': 0.9, 'text-background-padding': 2 } },
    { selector: '.faded', style: { opacity: 0.15 } }
  ];
  Object.keys(data.colors).forEach(function (kind) {
    style.push({ selector: 'node[kind = "' + kind + '"]', style: { 'background-color': data.colors[kind] } });
  });
  var cy = cytoscape({ container: container, elements: elements, style: style });
  window.__ssotGraph = cy;
  // On hover a name is drawn at a readable size whatever the zoom (13 px on screen).
  cy.on('mouseover', 'node', function (event) {
    event.target.addClass('hover').style({ 'font-size': Math.max(11, 13 / cy.zoom()), 'min-zoomed-font-size': 0 });
  });
  cy.on('mouseout', 'node', function (event) { event.target.removeClass('hover').removeStyle('font-size min-zoomed-font-size'); });
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
  layoutClusters();
  quietOverlappingLabels();
  container.setAttribute('data-node-count', String(cy.nodes('[kind != "cluster"]').length));
  window.__ssotGraphReady = true;

  // Each box (a group, or a package's files) in rings around what matters most (the SSOT in the middle,
  // then implementations, legacy modules, consumers), then the boxes in rows, largest first: the same
  // picture on every load, and no box drawn over another (a force-directed layout of 500 nodes was not).
  function layoutClusters() {
    var rank = { ssot: 0, implementation: 1, factory: 1, 'legacy-module': 2, consumer: 3, module: 3 };
    var boxes = [];
    cy.nodes('[kind = "cluster"]').forEach(function (parent) {
      var kids = parent.children();
      var rings = [[], [], [], []];
      kids.sort(function (a, b) { return a.id() < b.id() ? -1 : 1; }).forEach(function (n) { rings[rank[n.data('kind')]].push(n); });
      rings = rings.filter(function (r) { return r.length; });
      // Rings are ellipses, wider than tall as names are: each clear of the one inside it by the widest
      // and tallest names of both, and long enough for its own names side by side.
      var a = 0, b = 0, wide = 0, tall = 0;
      rings.forEach(function (ring, level) {
        var boxes = ring.map(function (n) { return n.boundingBox({ includeLabels: true }); });
        var widths = boxes.map(function (box) { return box.w + 16; });
        var around = widths.reduce(function (s, w) { return s + w; }, 0);
        var w = Math.max.apply(null, boxes.map(function (box) { return box.w; }));
        var h = Math.max.apply(null, boxes.map(function (box) { return box.h; }));
        if (level === 0 && ring.length === 1) {
          ring[0].position({ x: 0, y: 0 });
        } else {
          a = Math.max(a + (wide + w) / 2 + 12, around / (2 * Math.PI));
          b = Math.max(b + (tall + h) / 2 + 28, a * 0.45);
          var angle = -Math.PI / 2;
          ring.forEach(function (n, i) {
            angle += (widths[i] / around) * Math.PI;
            n.position({ x: a * Math.cos(angle), y: b * Math.sin(angle) });
            angle += (widths[i] / around) * Math.PI;
          });
        }
        wide = w;
        tall = h;
      });
      var box = kids.boundingBox({ includeLabels: true });
      boxes.push({ kids: kids, box: box, name: parent.id() });
    });
    boxes.sort(function (a, b) { return b.box.h - a.box.h || (a.name < b.name ? -1 : 1); });
    var gap = 40;
    // Rows of boxes, placed left to right up to a width; returns each box's corner and the whole's size.
    function shelves(width) {
      var x = 0, y = 0, row = 0, right = 0, at = [];
      boxes.forEach(function (b) {
        if (x > 0 && x + b.box.w > width) { x = 0; y += row + gap; row = 0; }
        at.push({ x: x, y: y });
        x += b.box.w + gap;
        right = Math.max(right, x - gap);
        row = Math.max(row, b.box.h);
      });
      return { at: at, w: right, h: y + row };
    }
    // The row width that lets the whole be drawn largest in the canvas.
    var best = null;
    var scale = function (s) { return Math.min(container.clientWidth / Math.max(1, s.w), container.clientHeight / Math.max(1, s.h)); };
    var widths = [0];
    boxes.forEach(function (b, i) { widths.push(widths[i] + b.box.w + gap); });
    widths.slice(1).forEach(function (width) {
      var s = shelves(width);
      if (!best || scale(s) > scale(best)) best = s;
    });
    if (best) boxes.forEach(function (b, i) {
      var dx = best.at[i].x - b.box.x1, dy = best.at[i].y - b.box.y1;
      b.kids.positions(function (n) { var p = n.position(); return { x: p.x + dx, y: p.y + dy }; });
    });
    cy.fit(undefined, 20);
  }

  // A name that would overlap one already drawn shows on hover only: the SSOT and implementations are
  // named first, then legacy modules, boxes, and last consumers and cycle modules.
  function quietOverlappingLabels() {
    var rank = { ssot: 0, implementation: 1, factory: 1, 'legacy-module': 2, cluster: 3, consumer: 4, module: 4 };
    var drawn = [];
    cy.nodes().sort(function (a, b) { return rank[a.data('kind')] - rank[b.data('kind')] || (a.id() < b.id() ? -1 : 1); }).forEach(function (node) {
      var box = node.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false });
      if (!(box.w > 0 && box.h > 0)) return;
      var hit = drawn.some(function (o) { return box.x1 < o.x2 && o.x1 < box.x2 && box.y1 < o.y2 && o.y1 < box.y2; });
      if (hit) node.addClass('quiet');
      else drawn.push(box);
    });
  }

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
