// The desired graph as text for other tools: DOT (Graphviz, like `terraform graph`) and a Mermaid
// flowchart (renders in GitHub and GitLab markdown). Pure. Edges point from a resource to what it
// depends on, as `terraform graph` draws them; nodes are clustered by display layer.
import type { DesiredGraph } from './build.js';
import { groupByDisplayLayer } from './display-layers.js';

export type GraphFormat = 'dot' | 'mermaid';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['dot', 'mermaid'];

interface GraphNode { id: string; kind: string }

function nodesOf(graph: DesiredGraph): GraphNode[] {
  return graph.order.map((id) => ({ id, kind: graph.nodes.get(id)!.kind }));
}

function edgesOf(graph: DesiredGraph): [string, string][] {
  return graph.order.flatMap((id) => [...(graph.deps.get(id) ?? [])].sort().map((dep): [string, string] => [id, dep]));
}

/** A DOT double-quoted string: `"` and `\` escaped, line breaks as DOT's `\n`. */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

export function renderDot(graph: DesiredGraph): string {
  const lines = ['digraph platform {', '  compound = "true"', '  newrank = "true"', '  rankdir = "RL"', '  node [shape = "box"]'];
  for (const { layer, items } of groupByDisplayLayer(nodesOf(graph), (n) => n.id)) {
    lines.push(`  subgraph ${dotString(`cluster_${layer.key}`)} {`, `    label = ${dotString(layer.title)}`);
    for (const n of items) lines.push(`    ${dotString(n.id)} [label = ${dotString(`${n.id}\n${n.kind}`)}]`);
    lines.push('  }');
  }
  for (const [from, to] of edgesOf(graph)) lines.push(`  ${dotString(from)} -> ${dotString(to)}`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

/**
 * A Mermaid label in double quotes: every character outside a plain set becomes Mermaid's numeric
 * entity `#NNN;` (so quotes, square brackets, `<`, `#` and `;` cannot end the label or become markup).
 */
export function mermaidLabel(text: string): string {
  return `"${[...text].map((c) => (/[A-Za-z0-9 ()./_:-]/.test(c) ? c : `#${c.codePointAt(0)};`)).join('')}"`;
}

export function renderMermaid(graph: DesiredGraph): string {
  // NOTE(ids): logical ids contain `/` and dots, which Mermaid node ids cannot; nodes get n0, n1 …
  // and carry the logical id as their label.
  const short = new Map(graph.order.map((id, i) => [id, `n${i}`]));
  const lines = ['flowchart RL'];
  for (const { layer, items } of groupByDisplayLayer(nodesOf(graph), (n) => n.id)) {
    lines.push(`  subgraph layer_${layer.key}[${mermaidLabel(layer.title)}]`);
    for (const n of items) lines.push(`    ${short.get(n.id)!}[${mermaidLabel(`${n.id} (${n.kind})`)}]`);
    lines.push('  end');
  }
  for (const [from, to] of edgesOf(graph)) lines.push(`  ${short.get(from)!} --> ${short.get(to)!}`);
  return lines.join('\n') + '\n';
}

export function renderGraph(graph: DesiredGraph, format: GraphFormat): string {
  return format === 'dot' ? renderDot(graph) : renderMermaid(graph);
}
