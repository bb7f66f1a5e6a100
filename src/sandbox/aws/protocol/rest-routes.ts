// Routing shared by the REST protocols (restJson1, restXml): method + path template → operation,
// with path labels percent-decoded and query parameters added to the input.
import type { RawRequest } from '../service.js';

export interface RestRoute {
  method: string;
  /** Path template with {labels}, e.g. /clusters/{name}/node-groups/{nodegroupName}. */
  path: string;
  operation: string;
  /** HTTP status of a success (most are 200). */
  status?: number;
}

export interface RouteMatch {
  route: RestRoute;
  /** Labels and query parameters; the body is the codec's to add. */
  input: Record<string, any>;
}

export function restRouter(routes: RestRoute[]): (req: RawRequest) => RouteMatch | undefined {
  const compiled = routes.map((route) => ({
    route,
    re: new RegExp(`^${route.path.replace(/\{(\w+)\+?\}/g, '([^/]+)')}/?$`),
    labels: [...route.path.matchAll(/\{(\w+)\+?\}/g)].map((m) => m[1]!),
  }));
  return (req) => {
    for (const c of compiled) {
      if (c.route.method !== req.method) continue;
      const m = c.re.exec(req.path);
      if (!m) continue;
      const input: Record<string, any> = {};
      c.labels.forEach((label, i) => { input[label] = decodeURIComponent(m[i + 1]!); });
      for (const [k, v] of req.query) input[k] = v;
      return { route: c.route, input };
    }
    return undefined;
  };
}
