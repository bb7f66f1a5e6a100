// One cluster's objects: create/get/list/replace/apply/patch/delete with resourceVersion,
// generation, finalizers and the status subresource; CRDs add resources; listeners hear every
// change (the sandbox's controllers watch through this in-process API).
import { randomUUID } from 'node:crypto';
import { BUILTIN, groupVersion, type ApiResource } from './resources.js';
import { fieldSet, managedFieldsWire, recordUpdate, serverSideApply, type ListTypeAt } from './ssa.js';
import { listTypeOf } from './list-types.js';
import { parseSelector } from './selectors.js';
import { admitLeaseTimes } from './lease-times.js';
import { applyDefaults } from './defaults.js';
import { admitCustomResource, versionSchema } from './crd-schema.js';
import { ObjectMap, type Entry } from './object-map.js';
import { WatchHub } from './watch.js';
import type { ServerResponse } from 'node:http';

export type KubeObject = { apiVersion: string; kind: string; metadata: Record<string, any>; [k: string]: any };

/** An error the API server answers with a Status body. */
export class KubeError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
  }
}

export interface PatchOptions {
  /** dryRun=All: answer the patched object, store nothing. */
  dryRun?: boolean;
  /** The API server's decoding of the patched object (built-in schemas: builtin-schema.ts). */
  admitPatched?: (patched: KubeObject) => void;
  /** The field manager of the patch (managedFields: its Update entry); the API server's default when the client names none. */
  manager?: string;
}

/** A write's manager when the caller names none (the sandbox's own controllers). */
const DEFAULT_MANAGER = 'unknown';

export class KubeStore {
  private readonly objects = new ObjectMap();
  private readonly resources: ApiResource[] = [...BUILTIN];
  private rv = 1;
  private nextServiceIp = 1;
  private readonly watches = new WatchHub();
  private listeners = new Set<(kind: string, object: KubeObject, type: 'ADDED' | 'MODIFIED' | 'DELETED') => void>();

  constructor() {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.create(this.resource('v1', 'Namespace')!, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns }, status: { phase: 'Active' } });
    }
  }

  apiResources(): readonly ApiResource[] {
    return this.resources;
  }

  resource(apiVersion: string, kind: string): ApiResource | undefined {
    return this.resources.find((r) => groupVersion(r) === apiVersion && r.kind === kind);
  }

  resourceByPlural(group: string, version: string, plural: string): ApiResource | undefined {
    return this.resources.find((r) => r.group === group && r.version === version && r.plural === plural);
  }

  onChange(listener: (kind: string, object: KubeObject, type: 'ADDED' | 'MODIFIED' | 'DELETED') => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** By group, not version: a CRD serves one stored object at every version (conversion None). */
  private key(res: ApiResource, ns: string | undefined, name: string): string {
    return `${res.group}|${res.plural}|${res.namespaced ? ns ?? 'default' : ''}|${name}`;
  }

  private emit(res: ApiResource, obj: KubeObject, type: 'ADDED' | 'MODIFIED' | 'DELETED'): void {
    for (const l of [...this.listeners]) l(res.kind, obj, type);
  }

  /** The stored object as `res` (the requested version) serves it. */
  private out(e: Entry, res?: ApiResource): KubeObject {
    const o = structuredClone(e.object);
    if (res) o.apiVersion = groupVersion(res);
    o.metadata.managedFields = managedFieldsWire(e.managed, o.apiVersion);
    return o;
  }

  private notFound(res: ApiResource, name: string): KubeError {
    return new KubeError(404, 'NotFound', `${res.plural}${res.group ? `.${res.group}` : ''} "${name}" not found`, { name, group: res.group, kind: res.plural });
  }

  private checkNamespace(res: ApiResource, ns: string | undefined): void {
    if (!res.namespaced) return;
    if (!this.objects.has(this.key(this.resource('v1', 'Namespace')!, undefined, ns ?? 'default'))) {
      throw new KubeError(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
    }
  }

  private crdOf(res: ApiResource): KubeObject | undefined {
    if (BUILTIN.includes(res)) return undefined;
    return this.objects.get(this.key(this.resource('apiextensions.k8s.io/v1', 'CustomResourceDefinition')!, undefined, `${res.plural}.${res.group}`))?.object;
  }

  /** How apply merges the lists of `res` (list-types.ts; custom resources: their CRD's schema). */
  private listTypes(res: ApiResource): ListTypeAt {
    const crd = this.crdOf(res);
    const schema = crd ? versionSchema(crd, res.version) : undefined;
    return (path) => listTypeOf(res.group, res.kind, path, schema);
  }

  /** What the server does to every write before storing it: defaulting (defaults.ts), CRD pruning and validation (crd-schema.ts). */
  private admit(res: ApiResource, obj: KubeObject, prev?: KubeObject): KubeObject {
    obj.apiVersion = groupVersion(res);
    obj.kind = res.kind;
    // Service cluster IPs from EKS's default service CIDR 10.100.0.0/16.
    applyDefaults(obj, prev, () => `10.100.${Math.floor(this.nextServiceIp / 250)}.${(this.nextServiceIp++ % 250) + 1}`);
    if (res.group === 'coordination.k8s.io' && res.kind === 'Lease') admitLeaseTimes(obj);
    const crd = this.crdOf(res);
    if (crd) admitCustomResource(obj, crd, res.version);
    return obj;
  }

  /** With `dryRun` nothing is counted: the resourceVersion stays the stored one (none for a create). */
  private stamp(res: ApiResource, obj: KubeObject, prev?: KubeObject, dryRun = false): KubeObject {
    this.admit(res, obj, prev);
    obj.metadata.uid = prev?.metadata.uid ?? randomUUID();
    obj.metadata.creationTimestamp = prev?.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (!dryRun) obj.metadata.resourceVersion = String(++this.rv);
    else if (prev) obj.metadata.resourceVersion = prev.metadata.resourceVersion;
    else delete obj.metadata.resourceVersion;
    const specChanged = !prev || JSON.stringify(prev.spec) !== JSON.stringify(obj.spec);
    obj.metadata.generation = (prev?.metadata.generation ?? 0) + (specChanged ? 1 : 0);
    if (res.namespaced) obj.metadata.namespace ??= 'default';
    else delete obj.metadata.namespace;
    return obj;
  }

  get(res: ApiResource, ns: string | undefined, name: string): KubeObject {
    const e = this.objects.get(this.key(res, ns, name));
    if (!e) throw this.notFound(res, name);
    return this.out(e, res);
  }

  tryGet(res: ApiResource, ns: string | undefined, name: string): KubeObject | undefined {
    const e = this.objects.get(this.key(res, ns, name));
    return e ? this.out(e, res) : undefined;
  }

  list(res: ApiResource, ns?: string, labelSelector?: string | null): KubeObject[] {
    const sel = parseSelector(labelSelector);
    const prefix = `${res.group}|${res.plural}|`;
    return this.objects.ofResource(prefix).filter((e) => (!ns || !res.namespaced || e.object.metadata.namespace === ns) && sel(e.object.metadata.labels))
      .map((e) => this.out(e, res));
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  /** POST; `dryRun` (dryRun=All) answers what would be stored and stores nothing. */
  create(res: ApiResource, obj: KubeObject, manager = 'unknown', dryRun = false): KubeObject {
    const name = obj.metadata?.name;
    if (!name) throw new KubeError(422, 'Invalid', `${res.kind} is invalid: metadata.name: Required value`);
    this.checkNamespace(res, obj.metadata.namespace);
    const k = this.key(res, obj.metadata.namespace, name);
    if (this.objects.has(k)) throw new KubeError(409, 'AlreadyExists', `${res.plural} "${name}" already exists`, { name, kind: res.plural });
    const o = this.stamp(res, structuredClone(obj), undefined, dryRun);
    const paths = new Set(fieldSet(obj, this.listTypes(res)).keys());
    const entry: Entry = { object: o, managed: [{ manager, operation: 'Update', paths, time: o.metadata.creationTimestamp }] };
    if (dryRun) return this.out(entry, res);
    this.objects.set(k, entry);
    this.afterWrite(res, entry, 'ADDED');
    return this.get(res, o.metadata.namespace, name);
  }

  /** PUT: optimistic concurrency on metadata.resourceVersion. */
  replace(res: ApiResource, obj: KubeObject, statusOnly = false, dryRun = false, manager = DEFAULT_MANAGER): KubeObject {
    const k = this.key(res, obj.metadata.namespace, obj.metadata.name);
    const e = this.objects.get(k);
    if (!e) throw this.notFound(res, obj.metadata.name);
    // Leases refuse an update without resourceVersion: their strategy's AllowUnconditionalUpdate
    // is false (kubernetes pkg/registry/coordination/lease/strategy.go), and the generic registry
    // answers Invalid (k8s.io/apiserver/pkg/registry/generic/registry/store.go Update).
    if (!obj.metadata.resourceVersion && res.group === 'coordination.k8s.io') {
      throw new KubeError(422, 'Invalid', `${res.kind}.${res.group} "${obj.metadata.name}" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update`,
        { name: obj.metadata.name, group: res.group, kind: res.kind, causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0x0: must be specified for an update', field: 'metadata.resourceVersion' }] });
    }
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== e.object.metadata.resourceVersion) {
      // apierrors.NewConflict names the group-qualified resource (schema.GroupResource.String(),
      // "leases.coordination.k8s.io") with the storage's OptimisticLockErrorMsg
      // (k8s.io/apimachinery/pkg/api/errors/errors.go, k8s.io/apiserver/pkg/storage/errors.go).
      const qualified = res.group ? `${res.plural}.${res.group}` : res.plural;
      throw new KubeError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified} "${obj.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name: obj.metadata.name, ...(res.group ? { group: res.group } : {}), kind: res.plural });
    }
    const next = statusOnly ? { ...e.object, status: obj.status } : { ...structuredClone(obj), ...(res.status ? { status: e.object.status } : {}) };
    return dryRun ? this.preview(res, e, next) : this.write(res, e, next, manager);
  }

  /** What `write` would store and answer, storing nothing (dryRun=All). */
  private preview(res: ApiResource, e: Entry, next: KubeObject): KubeObject {
    return this.out({ object: this.stamp(res, structuredClone(next), e.object, true), managed: e.managed }, res);
  }

  /**
   * Store `next`. For an update by `updatedBy`, ownership of the fields it changed moves to it
   * (recordUpdate); an apply has set the managed fields already.
   */
  private write(res: ApiResource, e: Entry, next: KubeObject, updatedBy?: string): KubeObject {
    const o = this.stamp(res, structuredClone(next), e.object);
    if (updatedBy !== undefined) e.managed = recordUpdate(e.object, o, e.managed, updatedBy, this.listTypes(res));
    e.object = o;
    if (o.metadata.deletionTimestamp && (o.metadata.finalizers ?? []).length === 0) {
      this.objects.delete(this.key(res, o.metadata.namespace, o.metadata.name));
      this.afterWrite(res, e, 'DELETED');
      return this.out(e, res);
    }
    this.afterWrite(res, e, 'MODIFIED');
    return this.out(e, res);
  }

  /**
   * Server-side apply (application/apply-patch+yaml), ssa.ts. With `dryRun` the answer is what
   * the write would store (defaulted, pruned, validated, with its managedFields) and nothing changes.
   */
  apply(res: ApiResource, ns: string | undefined, name: string, config: KubeObject, manager: string, force: boolean, dryRun = false): { object: KubeObject; created: boolean } {
    if (!manager) throw new KubeError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    if (config.metadata?.name && config.metadata.name !== name) throw new KubeError(400, 'BadRequest', 'the name of the object does not match the name on the URL');
    const k = this.key(res, ns, name);
    const e = this.objects.get(k);
    const result = serverSideApply(e?.object, e?.managed ?? [], { ...config, metadata: { ...config.metadata, name, ...(res.namespaced ? { namespace: ns } : {}) } }, manager, force, this.listTypes(res));
    if ('conflicts' in result) {
      // k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager (internal.NewConflictError): one cause per field.
      const gv = groupVersion(res);
      const causes = result.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${gv}`, field: c.field }));
      const message = causes.length === 1 ? `Apply failed with 1 conflict: ${causes[0]!.message}: ${causes[0]!.field}`
        : `Apply failed with ${causes.length} conflicts: ${causes.map((c) => `${c.message}: ${c.field}`).join('\n')}`;
      throw new KubeError(409, 'Conflict', message, { name, group: res.group, kind: res.plural, causes });
    }
    if (res.status && e) result.object.status = e.object.status;
    if (!e) this.checkNamespace(res, ns);
    if (dryRun) {
      const o = this.admit(res, result.object, e?.object);
      o.metadata = { ...o.metadata, ...(e ? { uid: e.object.metadata.uid, creationTimestamp: e.object.metadata.creationTimestamp, resourceVersion: e.object.metadata.resourceVersion, generation: e.object.metadata.generation } : {}) };
      return { object: this.out({ object: o, managed: result.managed }, res), created: !e };
    }
    if (!e) {
      const created: Entry = { object: this.stamp(res, result.object), managed: result.managed };
      this.objects.set(k, created);
      this.afterWrite(res, created, 'ADDED');
      return { object: this.get(res, ns, name), created: true };
    }
    this.admit(res, result.object, e.object);
    e.managed = result.managed;
    if (JSON.stringify(result.object) === JSON.stringify(e.object)) return { object: this.out(e, res), created: false };
    return { object: this.write(res, e, result.object), created: false };
  }

  /** JSON merge patch (application/merge-patch+json), on the object or its status. */
  mergePatch(res: ApiResource, ns: string | undefined, name: string, patch: any, statusOnly = false, options: PatchOptions = {}): KubeObject {
    const merge = (a: any, b: any): any => {
      if (b === null || typeof b !== 'object' || Array.isArray(b)) return b;
      const out = a && typeof a === 'object' && !Array.isArray(a) ? { ...a } : {};
      for (const [k, v] of Object.entries(b)) if (v === null) delete out[k]; else out[k] = merge(out[k], v);
      return out;
    };
    return this.patchWith(res, ns, name, (current) => merge(current, statusOnly ? { status: patch.status } : patch), statusOnly, options);
  }

  /**
   * A patch of any type: `patched` turns the stored object into the next one; `options.admitPatched`
   * sees (and may refuse or trim) the result before it is stored or, with `dryRun`, only answered.
   */
  patchWith(res: ApiResource, ns: string | undefined, name: string, patched: (current: KubeObject) => KubeObject, statusOnly = false, options: PatchOptions = {}): KubeObject {
    const e = this.objects.get(this.key(res, ns, name));
    if (!e) throw this.notFound(res, name);
    const next = patched(structuredClone(e.object));
    options.admitPatched?.(next);
    if (statusOnly) for (const k of Object.keys(next)) if (!['apiVersion', 'kind', 'metadata', 'status'].includes(k)) next[k] = e.object[k];
    if (res.status && !statusOnly) next.status = e.object.status;
    return options.dryRun ? this.preview(res, e, next) : this.write(res, e, next, options.manager ?? DEFAULT_MANAGER);
  }

  delete(res: ApiResource, ns: string | undefined, name: string): KubeObject {
    const k = this.key(res, ns, name);
    const e = this.objects.get(k);
    if (!e) throw this.notFound(res, name);
    if ((e.object.metadata.finalizers ?? []).length > 0) {
      if (!e.object.metadata.deletionTimestamp) return this.write(res, e, { ...e.object, metadata: { ...e.object.metadata, deletionTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } });
      return this.out(e);
    }
    this.objects.delete(k);
    // A deletion is a write of its own: etcd's revision moves, and watchers see it at that version.
    this.afterWrite(res, e, 'DELETED', ++this.rv);
    return this.out(e);
  }

  private afterWrite(res: ApiResource, e: Entry, type: 'ADDED' | 'MODIFIED' | 'DELETED', rv = Number(e.object.metadata.resourceVersion)): void {
    const o = e.object;
    if (res.kind === 'CustomResourceDefinition') this.syncCrd(o, type);
    this.emit(res, o, type);
    this.watches.record(res, type, rv, o, () => {
      const served = this.out(e, res);
      served.metadata.resourceVersion = String(rv);
      return served;
    });
  }

  /** Serve a watch of `res` (watch.ts) on an HTTP response. */
  watch(response: ServerResponse, res: ApiResource, ns: string | undefined, url: URL): void {
    this.watches.serve(response, res, ns, url, () => this.list(res, ns), this.rv);
  }

  /** A CRD adds its resource (served versions) and becomes Established. */
  private syncCrd(crd: KubeObject, type: string): void {
    const spec = crd.spec ?? {};
    for (const v of spec.versions ?? []) {
      const existing = this.resources.findIndex((r) => r.group === spec.group && r.version === v.name && r.plural === spec.names?.plural);
      if (existing >= 0) this.resources.splice(existing, 1);
      if (type !== 'DELETED' && v.served !== false) {
        this.resources.push({ group: spec.group, version: v.name, kind: spec.names.kind, plural: spec.names.plural, namespaced: spec.scope === 'Namespaced', status: Boolean(v.subresources?.status) });
      }
    }
    if (type !== 'DELETED' && !(crd.status?.conditions ?? []).some((c: any) => c.type === 'Established')) {
      const e = this.objects.get(this.key(this.resource('apiextensions.k8s.io/v1', 'CustomResourceDefinition')!, undefined, crd.metadata.name));
      if (e) e.object.status = { conditions: [{ type: 'NamesAccepted', status: 'True' }, { type: 'Established', status: 'True' }], acceptedNames: spec.names };
    }
  }

  /** Record an Event about an object (repeats of the same reason bump the count). */
  recordEvent(involved: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const res = this.resource('v1', 'Event')!;
    const ns = involved.metadata.namespace ?? 'default';
    const name = `${involved.metadata.name}.${reason.toLowerCase()}`;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const prior = this.tryGet(res, ns, name);
    const event = { apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: ns },
      involvedObject: { apiVersion: involved.apiVersion, kind: involved.kind, name: involved.metadata.name, namespace: ns, uid: involved.metadata.uid },
      type, reason, message, count: (prior?.count ?? 0) + 1, firstTimestamp: prior?.firstTimestamp ?? now, lastTimestamp: now, source: { component: 'sandbox' } };
    if (prior) this.replace(res, { ...event, metadata: { ...event.metadata } });
    else this.create(res, event);
  }
}
