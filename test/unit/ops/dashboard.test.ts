// The dashboard only queries metrics platformd defines (names from src/metrics.ts).
import t from 'tap';
import { readFileSync } from 'node:fs';

t.test('every metric the dashboard queries is defined in src/metrics.ts', async (t) => {
  const dashboard = JSON.parse(readFileSync('ops/grafana/platformd-dashboard.json', 'utf8'));
  const metricsSource = readFileSync('src/metrics.ts', 'utf8');
  const exprs: string[] = [];
  const walk = (panels: any[]) => {
    for (const p of panels) {
      for (const target of p.targets ?? []) exprs.push(target.expr);
      walk(p.panels ?? []);
    }
  };
  walk(dashboard.panels);
  t.ok(exprs.length > 10);
  const names = new Set(exprs.flatMap((e) => e.match(/platformd_[a-z_]+/g) ?? []));
  for (const name of names) {
    const base = name.replace(/_(bucket|sum|count)$/, '');
    t.ok(metricsSource.includes(`'${base}'`), `${base} is defined in src/metrics.ts`);
  }
});
