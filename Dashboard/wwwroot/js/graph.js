// The service graph of the graph page: cytoscape with the dagre layout (wwwroot-assets, MIT), behind the calls the
// Blazor side makes: create(element, dotnet, dark) -> handle; handle.update(view); handle.relayout(); handle.theme(dark);
// handle.dispose(). A view (Dashboard/Model/GraphView.cs) comes with its label, colour, width and lock worked out, and
// with find and hide already judged: this script only draws. Only the first draw (and relayout) runs dagre; an update
// changes the data of what is drawn in place, places new nodes beside their neighbours and moves nothing else.
// Hooks for bench/ and the tests: the container's data-draws and data-nodes, window.dashboardGraph.applyMs and .positions()
// (keep them as they are: bench/ reads them).
import cytoscape from '../lib/cytoscape/cytoscape.esm.min.js';
import dagre from '../lib/cytoscape-dagre/cytoscape-dagre.esm.min.js';

cytoscape.use(dagre);

const layout = { name: 'dagre', rankDir: 'LR', nodeSep: 24, rankSep: 220, edgeSep: 12, padding: 30, fit: true, animate: false };
const gap = { x: 220, y: 56 };

// Colours from the theme's CSS variables, made into rgb()/rgba() by a canvas (cytoscape reads neither 8-digit hex nor names of variables).
function palette() {
  const css = getComputedStyle(document.documentElement);
  const probe = document.createElement('canvas').getContext('2d');
  const colour = (name, fallback) => {
    probe.fillStyle = fallback;
    probe.fillStyle = css.getPropertyValue(name).trim() || fallback;
    return probe.fillStyle;
  };
  return {
    text: colour('--mud-palette-text-primary', '#212121'),
    muted: colour('--mud-palette-text-secondary', '#616161'),
    surface: colour('--mud-palette-surface', '#ffffff'),
    box: colour('--mud-palette-background-gray', '#f5f5f5'),
    lines: colour('--mud-palette-lines-default', '#e0e0e0'),
    primary: colour('--mud-palette-primary', '#594ae2'),
    secure: colour('--mud-palette-success', '#2e7d32'),
    warning: colour('--mud-palette-warning', '#ff9800'),
    good: colour('--health-good', '#2e7d32'),
    warn: colour('--health-warn', '#ef6c00'),
    bad: colour('--health-bad', '#c62828'),
    none: colour('--health-none', '#9e9e9e'),
  };
}

function style(p) {
  return [
    { selector: 'node.workload', style: {
      shape: 'round-rectangle', width: 'data(w)', height: 30, 'background-color': p.surface,
      'border-width': 2, 'border-color': e => p[e.data('health')] ?? p.none,
      label: 'data(label)', color: p.text, 'font-size': 12, 'text-valign': 'center', 'text-halign': 'center',
    } },
    { selector: 'node.unmeshed', style: { 'border-style': 'dashed', 'font-style': 'italic' } },
    { selector: 'node.idle', style: { color: p.muted, 'border-color': p.lines } },
    { selector: 'node.box', style: {
      shape: 'round-rectangle', 'background-color': p.box, 'background-opacity': 1, 'border-width': 1, 'border-color': p.lines,
      label: 'data(label)', color: p.muted, 'font-size': 12, 'font-weight': 'bold', 'text-valign': 'top', 'text-halign': 'center',
      'text-margin-y': -4, padding: 18,
    } },
    { selector: 'edge', style: {
      'curve-style': 'bezier', width: 'data(width)', 'line-color': e => p[e.data('health')] ?? p.none,
      'target-arrow-shape': 'triangle', 'target-arrow-color': e => p[e.data('health')] ?? p.none, 'arrow-scale': 0.9,
      label: 'data(label)', 'font-size': 10, color: p.text, 'text-wrap': 'wrap', 'text-background-color': p.surface,
      'text-background-opacity': 0.9, 'text-background-padding': 2, 'text-background-shape': 'round-rectangle',
    } },
    { selector: 'edge.tcp', style: { 'line-style': 'dashed', 'line-color': p.muted, 'target-arrow-color': p.muted } },
    { selector: '.found', style: { 'underlay-color': p.primary, 'underlay-opacity': 0.35, 'underlay-padding': 6 } },
    { selector: '.finding', style: { opacity: 0.3 } },
    { selector: '.found', style: { opacity: 1 } },
    { selector: '.faded', style: { opacity: 0.12 } },
    { selector: '.hidden', style: { display: 'none' } },
  ];
}

// A lock over each edge's label: closed for mTLS, open otherwise (mixed: open, in the warning colour). No font here
// has a lock glyph, so it is drawn on a canvas above cytoscape's, on each of its renders.
function drawLocks(cy, canvas, p) {
  const ratio = window.devicePixelRatio || 1;
  const { clientWidth: w, clientHeight: h } = canvas.parentElement;
  if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const zoom = cy.zoom();
  if (zoom < 0.35) return;
  const size = Math.min(1.4, zoom);
  cy.edges().forEach(edge => {
    if (!edge.visible()) return;
    const tls = edge.data('tls');
    const m = edge.renderedMidpoint();
    const lines = String(edge.data('label') ?? '').split('\n').filter(l => l.length > 0).length;
    const y = m.y - ((lines * 12 + 4) / 2) * zoom - 7 * size;
    ctx.globalAlpha = edge.hasClass('faded') ? 0.12 : edge.hasClass('finding') && !edge.hasClass('found') ? 0.3 : 1;
    lock(ctx, m.x, y, size, tls === 'true', tls === 'true' ? p.secure : tls === 'mixed' ? p.warning : p.muted);
  });
  ctx.globalAlpha = 1;
}

function lock(ctx, x, y, s, closed, colour) {
  ctx.fillStyle = colour;
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1.6 * s;
  ctx.beginPath();
  ctx.roundRect(x - 5 * s, y - 1 * s, 10 * s, 8 * s, 1.5 * s);
  ctx.fill();
  ctx.beginPath();
  const shift = closed ? 0 : 5 * s;
  ctx.arc(x + shift, y - 1 * s, 3.2 * s, Math.PI, 0);
  ctx.moveTo(x + shift + 3.2 * s, y - 1 * s);
  ctx.lineTo(x + shift + 3.2 * s, y + (closed ? 0 : -1) * s);
  ctx.stroke();
}

const widthOf = label => Math.max(70, String(label).length * 7.2 + 24);

export function create(element, dotnet, dark) {
  const cy = cytoscape({
    container: element.querySelector('.graph-canvas'),
    style: style(palette()),
    minZoom: 0.2,
    maxZoom: 3,
    wheelSensitivity: 0.3,
    boxSelectionEnabled: false,
    autounselectify: true,
  });
  let p = palette();
  let draws = 0;
  const locks = element.querySelector('.graph-locks');
  const applyMs = [];
  window.dashboardGraph = {
    applyMs,
    positions: () => Object.fromEntries(cy.nodes('.workload').map(n => [n.id(), { x: n.position('x'), y: n.position('y') }])),
    // For the tests: what is drawn but hidden, each node's label, and where a node is on the screen (container pixels).
    hidden: () => cy.elements('.hidden').map(e => e.id()),
    labels: () => Object.fromEntries(cy.nodes('.workload').not('.hidden').map(n => [n.id(), n.data('label')])),
    rendered: id => cy.getElementById(id).renderedPosition(),
  };

  cy.on('render', () => drawLocks(cy, locks, p));
  // The side panel narrows the container: cytoscape learns its new size (nothing moves).
  const resized = new ResizeObserver(() => cy.resize());
  resized.observe(element);
  cy.on('mouseover', 'node.workload', e => {
    const near = e.target.closedNeighborhood();
    cy.elements().not(near).not(near.parents()).addClass('faded');
  });
  cy.on('mouseout', 'node.workload', () => cy.elements().removeClass('faded'));
  // The circuit may be gone (the page left): nothing to tell then.
  cy.on('tap', 'node.workload, edge', e => dotnet.invokeMethodAsync('Select', e.target.id()).catch(() => {}));

  function drawn() {
    draws += 1;
    element.dataset.draws = String(draws);
    element.dataset.nodes = String(cy.nodes('.workload').not('.hidden').length);
  }

  // Where a node that came with a refresh goes: right of a caller, left of a callee, under its namespace's box, or
  // right of everything; then down until no node is there.
  function place(node, placed) {
    const callers = node.incomers('node').filter(n => placed.has(n.id()));
    const callees = node.outgoers('node').filter(n => placed.has(n.id()));
    let at;
    if (callers.length > 0) {
      const from = callers[0].position();
      at = { x: from.x + gap.x, y: from.y };
    } else if (callees.length > 0) {
      const to = callees[0].position();
      at = { x: to.x - gap.x, y: to.y };
    } else {
      const siblings = node.parent().children().filter(n => placed.has(n.id()));
      const box = (siblings.length > 0 ? siblings : cy.nodes('.workload').filter(n => placed.has(n.id()))).boundingBox();
      at = siblings.length > 0 ? { x: (box.x1 + box.x2) / 2, y: box.y2 + gap.y } : { x: box.x2 + gap.x, y: box.y1 };
    }
    const taken = () => cy.nodes('.workload').some(n => n !== node && placed.has(n.id())
      && Math.abs(n.position('x') - at.x) < gap.x / 2 && Math.abs(n.position('y') - at.y) < gap.y * 0.8);
    for (let i = 0; i < 200 && taken(); i++) at.y += gap.y;
    node.position(at);
    placed.add(node.id());
  }

  function apply(view) {
    const started = performance.now();
    const placed = new Set(cy.nodes('.workload').map(n => n.id()));
    const first = placed.size === 0;
    const added = [];
    const wanted = new Set([...view.hidden]);
    cy.batch(() => {
      // Boxes of namespaces whose nodes are only hidden stay, or removing them would remove their children too.
      const boxes = new Set(view.namespaces.map(ns => `namespace:${ns}`));
      view.hidden.forEach(id => { const parent = cy.getElementById(id).parent(); if (parent.nonempty()) boxes.add(parent.id()); });
      boxes.forEach(id => {
        wanted.add(id);
        if (cy.getElementById(id).empty()) cy.add({ group: 'nodes', data: { id, label: id.slice('namespace:'.length) }, classes: 'box' });
      });
      for (const n of view.nodes) {
        wanted.add(n.id);
        const data = { label: n.label, kind: n.kind, health: n.health, w: widthOf(n.label) };
        let node = cy.getElementById(n.id);
        if (node.empty()) {
          node = cy.add({ group: 'nodes', data: { id: n.id, parent: n.parent ?? undefined, ...data } });
          added.push(node);
        } else {
          node.data(data);
        }
        node.classes(['workload', n.meshed ? '' : 'unmeshed', n.idle ? 'idle' : '', n.found ? 'found' : ''].filter(c => c));
      }
      for (const e of view.edges) {
        wanted.add(e.id);
        const data = { label: e.label, health: e.health, width: e.width, tls: e.tls };
        let edge = cy.getElementById(e.id);
        if (edge.empty()) {
          edge = cy.add({ group: 'edges', data: { id: e.id, source: e.source, target: e.target, ...data } });
        } else {
          edge.data(data);
        }
        edge.classes([e.tcp ? 'tcp' : '', e.found ? 'found' : ''].filter(c => c));
      }
      cy.elements().filter(el => !wanted.has(el.id())).remove();
      view.hidden.forEach(id => cy.getElementById(id).addClass('hidden'));
      const finding = view.nodes.some(n => n.found) || view.edges.some(e => e.found);
      cy.elements().not('.box').toggleClass('finding', finding);
    });
    if (first) {
      cy.elements().not('.hidden').layout(layout).run();
    } else {
      added.forEach(node => place(node, placed));
    }
    applyMs.push(performance.now() - started);
    drawn();
  }

  return {
    update(view) { apply(view); },
    relayout() {
      const started = performance.now();
      cy.elements().not('.hidden').layout(layout).run();
      applyMs.push(performance.now() - started);
      drawn();
    },
    theme(isDark) {
      if (isDark === dark) return;
      dark = isDark;
      // MudBlazor writes the theme's variables as it renders: read them once they are there.
      requestAnimationFrame(() => {
        p = palette();
        cy.style(style(p));
      });
    },
    dispose() { resized.disconnect(); cy.destroy(); },
  };
}
