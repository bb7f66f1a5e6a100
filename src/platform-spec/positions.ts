// Map a JSON pointer into a parsed YAML document back to its line and column, so every
// diagnostic points at the offending node (or, for an unknown field, at its key).
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface Position {
  line: number;
  column: number;
}

function segments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * The position of the node at `pointer`; with `key`, the position of that key inside the map
 * at `pointer`. Falls back to the closest existing ancestor.
 */
export function positionOf(doc: Document, lines: LineCounter, pointer: string, key?: string): Position {
  let node: Node | null = doc.contents as Node | null;
  let best: number = node?.range?.[0] ?? 0;
  for (const seg of [...segments(pointer), ...(key !== undefined ? [key] : [])]) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) break;
      const isLast = key !== undefined && seg === key;
      const keyNode = pair.key as Node;
      if (isLast) {
        best = keyNode.range?.[0] ?? best;
        break;
      }
      node = (pair.value as Node | null) ?? null;
      best = node?.range?.[0] ?? keyNode.range?.[0] ?? best;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)] as Node | undefined;
      if (!item) break;
      node = item;
      best = item.range?.[0] ?? best;
    } else {
      break;
    }
  }
  const pos = lines.linePos(best);
  return { line: pos.line, column: pos.col };
}
