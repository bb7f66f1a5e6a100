// `platformd graph` output checked structurally: DOT and Mermaid are tokenised here, every edge's
// endpoints must be declared nodes, every id must survive its quoting (hostile ids included), and
// nodes sit in their layer's cluster.
import t from 'tap';
import { buildDesiredGraph, type DesiredGraph } from '../../../src/graph/build.js';
import { renderDot, renderMermaid } from '../../../src/graph/render-graph.js';
import { loadSpecFile } from '../../../src/platform-spec/load.js';
import { withDefaults } from '../../../src/platform-spec/defaults.js';
import { LAYER_ORDER } from '../../../src/resources/registry.js';
import type { Desired } from '../../../src/resources/kind.js';

/** DOT tokens: quoted strings (unescaped), bare words, `->`, and single punctuation. */
function dotTokens(text: string): { type: 'string' | 'word' | 'punct'; value: string }[] {
  const tokens: { type: 'string' | 'word' | 'punct'; value: string }[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"') {
      let value = '';
      i++;
      while (text[i] !== '"') {
        if (i >= text.length) throw new Error('unterminated DOT string');
        if (text[i] === '\\') { const next = text[i + 1]!; value += next === 'n' ? '\n' : next; i += 2; } else value += text[i++];
      }
      i++;
      tokens.push({ type: 'string', value });
    } else if (text.startsWith('->', i)) { tokens.push({ type: 'punct', value: '->' }); i += 2; }
    else if (/[{}[\]=;,]/.test(c)) { tokens.push({ type: 'punct', value: c }); i++; }
    else { const m = /^[A-Za-z0-9_.]+/.exec(text.slice(i)); if (!m) throw new Error(`unexpected ${c} in DOT`); tokens.push({ type: 'word', value: m[0] }); i += m[0].length; }
  }
  return tokens;
}

/** Nodes (by cluster) and edges of a DOT digraph as renderDot writes it; throws on anything else. */
function parseDot(text: string): { nodes: Map<string, string>; edges: [string, string][] } {
  const tokens = dotTokens(text);
  if (tokens[0]?.value !== 'digraph' || tokens.at(-1)?.value !== '}') throw new Error('not a digraph');
  const nodes = new Map<string, string>();
  const edges: [string, string][] = [];
  const clusters: string[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.value === '{') depth++;
    else if (tok.value === '}') { depth--; if (depth === 1) clusters.pop(); }
    else if (tok.value === 'subgraph') clusters.push(tokens[i + 1]!.value);
    else if (tok.type === 'string' && tokens[i + 1]?.value === '->') { edges.push([tok.value, tokens[i + 2]!.value]); i += 2; }
    else if (tok.type === 'string' && tokens[i + 1]?.value === '[') nodes.set(tok.value, clusters.at(-1) ?? '');
    if (depth < 0) throw new Error('unbalanced braces');
  }
  if (depth !== 0) throw new Error('unbalanced braces');
  return { nodes, edges };
}

/** Nodes (label → subgraph) and edges (as labels) of a flowchart as renderMermaid writes it. */
function parseMermaid(text: string): { nodes: Map<string, string>; edges: [string, string][] } {
  const lines = text.trimEnd().split('\n');
  if (lines[0] !== 'flowchart RL') throw new Error('not a flowchart');
  const labels = new Map<string, string>();
  const nodes = new Map<string, string>();
  const edges: [string, string][] = [];
  let subgraph: string | undefined;
  const decode = (label: string) => label.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
  for (const line of lines.slice(1)) {
    let m;
    if ((m = /^ {2}subgraph (layer_[a-z]+)\["([^"[\]<>]*)"\]$/.exec(line))) { if (subgraph) throw new Error('nested subgraph'); subgraph = m[1]; }
    else if (line === '  end') { if (!subgraph) throw new Error('end without subgraph'); subgraph = undefined; }
    else if ((m = /^ {4}(n\d+)\["([^"[\]<>]*)"\]$/.exec(line))) { if (!subgraph) throw new Error('node outside a subgraph'); labels.set(m[1]!, decode(m[2]!)); nodes.set(decode(m[2]!), subgraph); }
    else if ((m = /^ {2}(n\d+) --> (n\d+)$/.exec(line))) {
      const [from, to] = [labels.get(m[1]!), labels.get(m[2]!)];
      if (from === undefined || to === undefined) throw new Error(`edge ${line.trim()} names an undeclared node`);
      edges.push([from, to]);
    } else throw new Error(`unexpected line ${JSON.stringify(line)}`);
  }
  if (subgraph) throw new Error('unclosed subgraph');
  return { nodes, edges };
}

function expectedEdges(graph: DesiredGraph): [string, string][] {
  return graph.order.flatMap((id) => [...graph.deps.get(id)!].map((dep): [string, string] => [id, dep])).sort();
}

t.test('the reference platform', async (t) => {
  const loaded = await loadSpecFile('specs/platform.yaml', {});
  if (!loaded.ok) throw new Error('reference spec invalid');
  const graph = buildDesiredGraph(withDefaults(loaded.spec), LAYER_ORDER, { protosDir: loaded.protosDir });

  const dot = parseDot(renderDot(graph));
  t.same([...dot.nodes.keys()].sort(), [...graph.nodes.keys()].sort(), 'DOT declares every resource once');
  t.same(dot.edges.slice().sort(), expectedEdges(graph), 'DOT has one edge per dependency, dependent → dependency');
  t.ok(dot.edges.every(([a, b]) => dot.nodes.has(a) && dot.nodes.has(b)), 'every DOT edge joins declared nodes');
  t.equal(dot.nodes.get('network/vpc'), 'cluster_network');
  t.equal(dot.nodes.get('kube/Ingress/default/grpc-demo'), 'cluster_cluster');
  t.equal(dot.nodes.get('edge/alb/grpc-demo'), 'cluster_alb');
  t.equal(dot.nodes.get('edge/records/alias'), 'cluster_dns');

  const mermaid = parseMermaid(renderMermaid(graph));
  const byId = new Map([...mermaid.nodes].map(([label, sub]) => [label.replace(/ \([^)]*\)$/, ''), sub]));
  t.same([...byId.keys()].sort(), [...graph.nodes.keys()].sort(), 'Mermaid declares every resource once');
  t.same(mermaid.edges.map(([a, b]) => [a.replace(/ \([^)]*\)$/, ''), b.replace(/ \([^)]*\)$/, '')]).sort(), expectedEdges(graph), 'Mermaid has every dependency');
  t.equal(byId.get('iam/role/node'), 'layer_iam');
  t.equal(byId.get('eks/cluster'), 'layer_eks');
});

t.test('hostile ids stay inside their quotes', async (t) => {
  const ids = ['kube/Deployment/default/"x" -> "y"', 'kube/ConfigMap/default/a\\"]; end\n<script>alert(1)</script>', 'network/vpc#1;[b]'];
  const node = (id: string, dependsOn: string[]): Desired => ({ id, kind: 'test/kind', properties: {}, dependsOn } as unknown as Desired);
  const graph: DesiredGraph = {
    nodes: new Map(ids.map((id, i) => [id, node(id, i === 0 ? [] : [ids[0]!])])),
    deps: new Map(ids.map((id, i) => [id, new Set(i === 0 ? [] : [ids[0]!])])),
    order: ids, external: new Map(),
  };
  const dot = parseDot(renderDot(graph));
  t.same([...dot.nodes.keys()].sort(), [...ids].sort(), 'DOT: each id reads back exactly');
  t.same(dot.edges.slice().sort(), expectedEdges(graph));
  const mermaid = parseMermaid(renderMermaid(graph));
  t.same([...mermaid.nodes.keys()].map((l) => l.replace(/ \(test\/kind\)$/, '')).sort(), [...ids].sort(), 'Mermaid: each id reads back exactly');
  t.notMatch(renderMermaid(graph), /<script>/, 'no markup reaches Mermaid');
});
