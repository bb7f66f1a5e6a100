// Label selectors as the API server parses them: a=b, a==b, a!=b, a in (x,y), a notin (x), a, !a.
export type Selector = (labels: Record<string, string> | undefined) => boolean;

export function parseSelector(text: string | null | undefined): Selector {
  if (!text) return () => true;
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur.trim());
  const tests = parts.map((p): Selector => {
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) {
      const [, key, op, list] = m;
      const values = list!.split(',').map((v) => v.trim());
      return (l) => (op === 'in' ? values.includes(l?.[key!] ?? '\0') : !values.includes(l?.[key!] ?? '\0'));
    }
    if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(p))) {
      const [, key, op, value] = m;
      return (l) => (op === '!=' ? l?.[key!] !== value : l?.[key!] === value);
    }
    if ((m = /^!([\w./-]+)$/.exec(p))) return (l) => !(m![1]! in (l ?? {}));
    if ((m = /^([\w./-]+)$/.exec(p))) return (l) => m![1]! in (l ?? {});
    throw new Error(`unable to parse requirement: ${p}`);
  });
  return (labels) => tests.every((t) => t(labels));
}
