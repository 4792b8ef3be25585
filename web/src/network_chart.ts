// The link chart's canvas: Cytoscape.js, loaded on demand so that it is bundled in a chunk of
// its own that only the /network page fetches (never the public /report pages).
//
// Cytoscape normally prepends a <style> element to <head> for its container class, which the
// server's CSP (style-src 'self', no unsafe-inline) refuses. It skips that when an element with
// the stylesheet's id already exists, so we put an empty <template> with that id in place and
// give the class its one rule (position: relative) in styles/network.css.

import type { Core, ElementDefinition, EventObject, NodeCollection, NodeSingular } from 'cytoscape';

const kStylesheetId = '__________cytoscape_stylesheet';

/** Community colours, dark enough for white labels at 4.5:1 and distinct to the eye. */
export const kGroupColours = ['#1d4f91', '#8f2b6b', '#00703c', '#a14a00', '#5b3f9e', '#00636b', '#7a5a00', '#b3182a'];
const kNoGroup = '#505a5f';

export interface ChartNode {
  id: string;
  label: string;
  kind: string;
  /** Community rank (1 = the group touching most children), or null. */
  group: number | null;
  root: boolean;
}

export interface ChartEdge {
  id: string;
  source: string;
  target: string;
  weight: number;
}

export interface ChartHandlers {
  onNode(id: string): void;
  onEdge(id: string): void;
}

export interface Chart {
  add(nodes: readonly ChartNode[], edges: readonly ChartEdge[]): void;
  /** Shows only nodes of `kinds` (and the edges between shown nodes). */
  filter(kinds: ReadonlySet<string>): void;
  select(id: string): void;
  /** The chart as a PNG data URL. */
  png(): string;
  destroy(): void;
}

const kShapes: Record<string, string> = {
  person: 'ellipse',
  vehicle: 'round-rectangle',
  phone: 'diamond',
  account: 'triangle',
  location: 'hexagon',
};

export function groupColour(group: number | null): string {
  return group === null ? kNoGroup : (kGroupColours[(group - 1) % kGroupColours.length] as string);
}

function nodeDefinition(n: ChartNode): ElementDefinition {
  return {
    group: 'nodes',
    data: { id: n.id, label: n.label, kind: n.kind, colour: groupColour(n.group), shape: kShapes[n.kind] ?? 'ellipse' },
    classes: n.root ? 'root' : '',
  };
}

function edgeDefinition(e: ChartEdge): ElementDefinition {
  return { group: 'edges', data: { id: e.id, source: e.source, target: e.target, width: 1 + 4 * e.weight } };
}

export async function createChart(container: HTMLElement, handlers: ChartHandlers): Promise<Chart> {
  if (document.getElementById(kStylesheetId) === null) {
    const placeholder = document.createElement('template');
    placeholder.id = kStylesheetId;
    document.head.appendChild(placeholder);
  }
  const { default: cytoscape } = await import('cytoscape');
  const cy: Core = cytoscape({
    container,
    elements: [],
    minZoom: 0.2,
    maxZoom: 3,
    style: [
      {
        selector: 'node',
        style: {
          'background-color': 'data(colour)',
          shape: 'data(shape)' as never,
          label: 'data(label)',
          color: '#0b0c0c',
          'font-size': 11,
          'text-valign': 'bottom',
          'text-margin-y': 4,
          'text-background-color': '#ffffff',
          'text-background-opacity': 0.85,
          'text-background-padding': '2px',
          width: 26,
          height: 26,
        },
      },
      { selector: 'node.root', style: { width: 38, height: 38, 'border-width': 3, 'border-color': '#0b0c0c' } },
      { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#ffdd00' } },
      { selector: 'edge', style: { width: 'data(width)', 'line-color': '#8a9095', 'curve-style': 'bezier' } },
      { selector: 'edge:selected', style: { 'line-color': '#0b0c0c', width: 6 } },
      { selector: '.filtered', style: { display: 'none' } },
    ],
  });
  cy.on('tap', 'node', (event: EventObject) => handlers.onNode(String(event.target.id())));
  cy.on('tap', 'edge', (event: EventObject) => handlers.onEdge(String(event.target.id())));

  return {
    add(nodes, edges) {
      const fresh: ElementDefinition[] = [];
      for (const n of nodes) if (cy.getElementById(n.id).empty()) fresh.push(nodeDefinition(n));
      for (const e of edges) if (cy.getElementById(e.id).empty()) fresh.push(edgeDefinition(e));
      if (fresh.length === 0) return;
      const first = cy.nodes().empty();
      const added = cy.add(fresh).nodes();
      // The first chart (an entity and its direct links) gets a force-directed layout. After
      // that only the new nodes are placed, around the node they link to: a full layout of a
      // few hundred nodes takes seconds on every expansion (bench/web/link_chart.mjs), and
      // moving every node each time would lose the analyst's picture of the chart.
      if (first) cy.layout({ name: 'cose', animate: false, randomize: false, nodeDimensionsIncludeLabels: true, padding: 20 }).run();
      else if (added.nonempty()) placeAround(cy, added);
      cy.fit(undefined, 20);
    },
    filter(kinds) {
      cy.nodes().forEach((n) => {
        const shown = n.hasClass('root') || kinds.has(String(n.data('kind')));
        if (shown) n.removeClass('filtered');
        else n.addClass('filtered');
      });
    },
    select(id) {
      cy.elements().unselect();
      const el = cy.getElementById(id);
      if (el.nonempty()) el.select();
    },
    png() {
      return cy.png({ output: 'base64uri', bg: '#ffffff', full: true, scale: 2 });
    },
    destroy() {
      cy.destroy();
    },
  };
}

// Each new node goes on a ring around a neighbour that was already on the chart (the node just
// expanded, usually), with room for its label; nodes with no such neighbour go on a ring to
// the right of the chart. The ring's radius grows with the number of nodes on it.
function placeAround(cy: Core, added: NodeCollection): void {
  const rings = new Map<string, { centre: { x: number; y: number }; members: NodeSingular[] }>();
  const box = cy.nodes().difference(added).boundingBox({});
  const outside = { x: box.x2 + 120, y: (box.y1 + box.y2) / 2 };
  added.forEach((n) => {
    const anchor = n.neighborhood().nodes().difference(added).nodes().first();
    const key = anchor.empty() ? '' : anchor.id();
    const ring: { centre: { x: number; y: number }; members: NodeSingular[] } = rings.get(key) ?? { centre: anchor.empty() ? outside : { ...anchor.position() }, members: [] };
    ring.members.push(n);
    rings.set(key, ring);
  });
  cy.batch(() => {
    for (const { centre, members } of rings.values()) {
      const radius = Math.max(90, (members.length * 48) / (2 * Math.PI));
      members.forEach((n, i) => {
        const angle = (2 * Math.PI * i) / members.length;
        n.position({ x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) });
      });
    }
  });
}
