// One emulated cluster's Kubernetes API server: HTTPS with a certificate from the sandbox CA,
// discovery, namespaced and cluster-scoped REST verbs, server-side apply, merge patch, status
// subresource, label selectors, paging — and 401 for anything but a valid EKS token for it.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import YAML from 'yaml';
import type { SandboxCa } from '../ca.js';
import { verifyEksToken } from './auth.js';
import { groupVersion, SHORT_NAMES, type ApiResource } from './resources.js';
import { KubeError, KubeStore, type KubeObject } from './store.js';
import { admitBuiltinBody, admitBuiltinPatched, checkApplyConfiguration, type FieldValidation } from './builtin-schema.js';
import { applyJsonPatch } from './json-patch.js';
import { openApiDocument, openApiV2 } from './openapi-docs.js';
import { serveOpenApiV2 } from './openapi-serve.js';

export interface ApiServerOptions {
  clusterName: string;
  ca: SandboxCa;
  store: KubeStore;
  secretOf: (accessKeyId: string) => string | undefined;
  version: string;
  /**
   * Accept this bearer token instead of EKS tokens: a static token file (kube-apiserver
   * --token-auth-file, https://kubernetes.io/docs/reference/access-authn-authz/authentication/#static-token-file),
   * as the sandbox's management cluster authenticates platformd's own leases.
   */
  staticToken?: string;
}

/** A fault to answer with instead of serving a request (tests block Lease renewals with it). */
export type KubeFault = (request: { method: string; path: string }) => { code: number; reason: string; message: string } | undefined;

function status(code: number, reason: string, message: string, details: Record<string, unknown> = {}) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}

export class KubeApiServer {
  private server?: Server;
  /** Fault injection: consulted for every authenticated request. */
  fault?: KubeFault;
  constructor(private readonly options: ApiServerOptions) {}

  get store(): KubeStore {
    return this.options.store;
  }

  async listen(): Promise<string> {
    const cert = await this.options.ca.issue(['localhost', 'kubernetes.default.svc'], ['127.0.0.1']);
    this.server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
      this.handle(req, res).catch((err) => this.send(res, 500, status(500, 'InternalError', String(err))));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Warnings go out as kube-apiserver sends them: `Warning: 299 - "<text>"` (RFC 7234 5.5, k8s.io/apiserver/pkg/warning). */
  private send(res: ServerResponse, code: number, body: unknown, warnings: string[] = []): void {
    if (warnings.length > 0) res.setHeader('warning', warnings.map((w) => `299 - ${JSON.stringify(w)}`));
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const verdict = this.options.staticToken !== undefined ? { ok: bearer === this.options.staticToken }
      : await verifyEksToken(bearer, this.options.clusterName, this.options.secretOf);
    if (!verdict.ok) return this.send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    const url = new URL(req.url ?? '/', 'https://localhost');
    const fault = this.fault?.({ method: req.method ?? 'GET', path: url.pathname });
    if (fault) return this.send(res, fault.code, status(fault.code, fault.reason, fault.message));
    const watch = url.searchParams.get('watch');
    if (req.method === 'GET' && (watch === 'true' || watch === '1')) {
      try {
        const target = this.resolve(url);
        if (target.name) throw new KubeError(405, 'MethodNotAllowed', 'the sandbox serves watches of collections only (a single object: fieldSelector=metadata.name=<name>)');
        return this.options.store.watch(res, target.res, target.ns, url);
      } catch (err) {
        if (err instanceof KubeError) return this.send(res, err.code, status(err.code, err.reason, err.message, err.details));
        throw err;
      }
    }
    if (req.method === 'GET' && url.pathname.replace(/\/$/, '') === '/openapi/v2') {
      // JSON or gnostic protobuf by Accept, with ETag and gzip (openapi-serve.ts).
      const reply = serveOpenApiV2(JSON.stringify(openApiV2()), req.headers);
      res.writeHead(reply.code, reply.headers);
      return void res.end(reply.body);
    }
    try {
      const out = url.pathname.startsWith('/openapi/') && req.method === 'GET' ? this.openApi(url.pathname, req.headers.accept ?? '')
        : this.route(req.method ?? 'GET', url, req.headers['content-type'] ?? '', body, req.headers['user-agent'] ?? '');
      if (out.code === 406) return this.send(res, 406, status(406, 'NotAcceptable', 'only application/json is served by the sandbox'));
      this.send(res, out.code, out.body, out.warnings);
    } catch (err) {
      if (err instanceof KubeError) return this.send(res, err.code, status(err.code, err.reason, err.message, err.details));
      throw err;
    }
  }

  /** /openapi/v3 (openapi-docs.ts); JSON only. */
  private openApi(path: string, accept: string): { code: number; body: unknown; warnings?: string[] } {
    if (accept && !/application\/json|\*\/\*/.test(accept)) return { code: 406, body: undefined };
    const doc = openApiDocument(path.replace(/\/$/, ''));
    if (!doc) throw new KubeError(404, 'NotFound', 'the server could not find the requested resource');
    return { code: 200, body: doc };
  }

  private discovery(path: string): unknown | undefined {
    const store = this.options.store;
    if (path === '/version') {
      const [major, minor] = this.options.version.split('.');
      return { major, minor, gitVersion: `v${this.options.version}.0-eks-sandbox`, platform: 'linux/amd64' };
    }
    if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] };
    if (path === '/apis') {
      const groups = new Map<string, Set<string>>();
      for (const r of store.apiResources()) if (r.group) groups.set(r.group, (groups.get(r.group) ?? new Set()).add(r.version));
      return { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groups].map(([name, versions]) => ({
        name, versions: [...versions].map((version) => ({ groupVersion: `${name}/${version}`, version })), preferredVersion: { groupVersion: `${name}/${[...versions][0]}`, version: [...versions][0] } })) };
    }
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (!m) return undefined;
    const group = m[2] ?? '';
    const version = m[1] ?? m[3]!;
    const list = store.apiResources().filter((r) => r.group === group && r.version === version);
    if (list.length === 0) return undefined;
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version,
      resources: list.flatMap((r) => [
        { name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
          ...(SHORT_NAMES[`${r.group}/${r.plural}`] ? { shortNames: SHORT_NAMES[`${r.group}/${r.plural}`] } : {}) },
        ...(r.status ? [{ name: `${r.plural}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] }] : []),
      ]) };
  }

  private route(method: string, url: URL, contentType: string, body: string, userAgent: string): { code: number; body: unknown; warnings?: string[] } {
    const path = url.pathname.replace(/\/$/, '');
    if (method === 'GET') {
      const d = this.discovery(path);
      if (d) return { code: 200, body: d };
    }
    const { res, ns, name, sub } = this.resolve(url);
    const store = this.options.store;
    const parse = (): KubeObject => {
      try {
        return (contentType.includes('yaml') ? YAML.parse(body) : JSON.parse(body)) as KubeObject;
      } catch {
        throw new KubeError(400, 'BadRequest', 'the request body could not be decoded');
      }
    };
    const dryRun = this.dryRun(url);
    const directive = this.fieldValidation(url);
    const warnings: string[] = [];
    // Built-in kinds decode into their Go types (builtin-schema.ts); custom resources are handled by crd-schema.ts.
    const decodeBody = (obj: KubeObject) => warnings.push(...admitBuiltinBody(obj, res.group, res.version, res.kind, directive));
    // An update's field manager: the client's fieldManager, else the User-Agent up to its first '/'
    // (k8s.io/apiserver/pkg/endpoints/handlers/rest.go prefixFromUserAgent).
    const updateManager = url.searchParams.get('fieldManager') || userAgent.split('/')[0]!.slice(0, 128);
    const patchOptions = { dryRun, manager: updateManager, admitPatched: (obj: KubeObject) => void warnings.push(...admitBuiltinPatched(obj, res.group, res.version, res.kind, directive)) };
    if (!name) {
      if (method === 'GET') return { code: 200, body: this.listBody(res, ns, url) };
      if (method === 'POST') {
        const obj = parse();
        decodeBody(obj);
        return { code: 201, body: store.create(res, { ...obj, metadata: { ...obj.metadata, ...(ns ? { namespace: ns } : {}) } }, url.searchParams.get('fieldManager') ?? 'kubectl', dryRun), warnings };
      }
      throw new KubeError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
    }
    switch (method) {
      case 'GET': return { code: 200, body: store.get(res, ns, name) };
      case 'PUT': {
        const obj = parse();
        decodeBody(obj);
        return { code: 200, body: store.replace(res, { ...obj, metadata: { ...obj.metadata, name, ...(ns ? { namespace: ns } : {}) } }, sub === 'status', dryRun, updateManager), warnings };
      }
      case 'PATCH': {
        if (contentType.startsWith('application/apply-patch')) {
          if (sub === 'status') throw new KubeError(415, 'UnsupportedMediaType', 'apply to status is not supported by the sandbox');
          const config = parse();
          checkApplyConfiguration(config, res.group, res.version, res.kind, res.namespaced ? ns : undefined, name);
          const r = store.apply(res, ns, name, config, url.searchParams.get('fieldManager') ?? '', url.searchParams.get('force') === 'true', dryRun);
          return { code: r.created ? 201 : 200, body: r.object };
        }
        if (contentType.startsWith('application/merge-patch+json') || contentType.startsWith('application/strategic-merge-patch+json')) {
          return { code: 200, body: store.mergePatch(res, ns, name, parse(), sub === 'status', patchOptions), warnings };
        }
        if (contentType.startsWith('application/json-patch+json')) {
          const operations = parse();
          return { code: 200, body: store.patchWith(res, ns, name, (current) => applyJsonPatch(current, operations) as KubeObject, sub === 'status', patchOptions), warnings };
        }
        throw new KubeError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
      }
      case 'DELETE': return { code: 200, body: store.delete(res, ns, name) };
      default: throw new KubeError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
  }

  /** The resource, namespace, name and subresource a REST path names. */
  private resolve(url: URL): { res: ApiResource; ns?: string; name?: string; sub?: string } {
    const path = url.pathname.replace(/\/$/, '');
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/(status))?$/.exec(path);
    if (!m) throw new KubeError(404, 'NotFound', 'the server could not find the requested resource');
    const [, core, group, gv, , , , sub] = m;
    let [ns, plural, name] = [m[4], m[5], m[6]];
    // /api/v1/namespaces/{name} is the namespace itself, not a collection inside it.
    if (ns && !plural) [plural, name, ns] = ['namespaces', ns, undefined];
    const res = this.options.store.resourceByPlural(group ?? '', core ?? gv!, plural!);
    if (!res) throw new KubeError(404, 'NotFound', 'the server could not find the requested resource');
    return { res, ns, name, sub };
  }

  /** dryRun: only "All" exists (k8s.io/apimachinery/pkg/apis/meta/v1/validation ValidateDryRun). */
  private dryRun(url: URL): boolean {
    const values = url.searchParams.getAll('dryRun');
    if (values.some((v) => v !== 'All')) throw new KubeError(422, 'Invalid', `dryRun: Unsupported value: ${JSON.stringify(values.find((v) => v !== 'All'))}: supported values: "All"`);
    return values.length > 0;
  }

  /** fieldValidation: Ignore, Warn (the default) or Strict (k8s.io/apiserver/pkg/endpoints/handlers/rest.go fieldValidation). */
  private fieldValidation(url: URL): FieldValidation {
    const v = url.searchParams.get('fieldValidation') || 'Warn';
    if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
    throw new KubeError(422, 'Invalid', `fieldValidation: Unsupported value: ${JSON.stringify(v)}: supported values: "Ignore", "Strict", "Warn"`);
  }

  private listBody(res: ApiResource, ns: string | undefined, url: URL): unknown {
    let items = this.options.store.list(res, ns, url.searchParams.get('labelSelector'));
    const limit = Number(url.searchParams.get('limit') ?? 0);
    const start = Number(url.searchParams.get('continue') ? Buffer.from(url.searchParams.get('continue')!, 'base64url').toString() : 0);
    let next: string | undefined;
    if (limit > 0) {
      if (start + limit < items.length) next = Buffer.from(String(start + limit)).toString('base64url');
      items = items.slice(start, start + limit);
    }
    return { apiVersion: groupVersion(res), kind: `${res.kind}List`, metadata: { resourceVersion: this.options.store.resourceVersion, ...(next ? { continue: next } : {}) }, items };
  }
}
