// Watches (`GET <collection>?watch=true`) as kube-apiserver serves them, from
// https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes and
// k8s.io/apiserver/pkg/storage/cacher (cacher.go, watch_cache.go, cache_watcher.go):
// - newline-delimited JSON events {type: ADDED|MODIFIED|DELETED|BOOKMARK|ERROR, object}, HTTP 200;
// - resourceVersion unset or "0": synthetic ADDED for every current object, then changes;
//   resourceVersion X: every change after X. The server keeps a bounded window of history; a
//   watch from before it gets one ERROR event with a Status 410 Expired ("too old resource
//   version") and the stream ends (cacher's newErrWatcher) — the client must list again;
// - with a label selector, an object that stops matching is sent as DELETED and one that starts
//   matching as ADDED (cache_watcher.go convertToWatchEvent);
// - allowWatchBookmarks: BOOKMARK events carrying only metadata.resourceVersion, at the server's
//   discretion (about once a minute in kube-apiserver); timeoutSeconds ends the stream.
// History is kept only for resources someone has watched (a watch from a version written before
// that is answered 410, which the API allows for any version outside the window); every resource
// remembers the version of its last write, so a watch from a list's version right after the list
// starts without a relist when nothing was written in between.
import type { ServerResponse } from 'node:http';
import { groupVersion, type ApiResource } from './resources.js';
import { parseSelector } from './selectors.js';
import type { KubeObject } from './store.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface HistoryEvent { rv: number; type: WatchEventType; object: KubeObject; previousLabels: Record<string, string> | undefined }

/** Events kept per watched resource (kube-apiserver's default watch cache holds 100, growing with load). */
const HISTORY_PER_RESOURCE = 1000;
/** How often an open watch that asked for bookmarks gets one (kube-apiserver: about every minute). */
const BOOKMARK_EVERY_MS = 60_000;

const resourceKey = (res: ApiResource) => `${res.group}|${res.plural}`;
const objectKey = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

interface Watcher {
  res: ApiResource;
  namespace?: string;
  matches: (labels: Record<string, string> | undefined) => boolean;
  send(type: string, object: unknown): void;
}

export class WatchHub {
  private readonly lastWrite = new Map<string, number>();
  private readonly history = new Map<string, { events: HistoryEvent[]; expiredUpTo: number }>();
  /** Labels of every object as last written, to tell a selector's watchers it left or entered. */
  private readonly labels = new Map<string, Record<string, string> | undefined>();
  private readonly watchers = new Map<string, Set<Watcher>>();

  /**
   * A stored write of `stored` (the store's own object: only its name and labels are read here);
   * `served` gives the object as the API serves it, asked for only when someone watches.
   */
  record(res: ApiResource, type: WatchEventType, rv: number, stored: KubeObject, served: () => KubeObject): void {
    const key = resourceKey(res);
    this.lastWrite.set(key, rv);
    const at = `${key}|${objectKey(stored)}`;
    const previousLabels = this.labels.get(at);
    if (type === 'DELETED') this.labels.delete(at);
    else this.labels.set(at, stored.metadata.labels);
    const history = this.history.get(key);
    const watchers = this.watchers.get(key);
    if (!history && !watchers?.size) return;
    const event: HistoryEvent = { rv, type, object: served(), previousLabels };
    if (history) {
      history.events.push(event);
      if (history.events.length > HISTORY_PER_RESOURCE) history.expiredUpTo = history.events.shift()!.rv;
    }
    for (const w of watchers ?? []) deliver(w, event);
  }

  /**
   * Serve one watch until the client goes away or `timeoutSeconds` pass. `current` lists the
   * resource's objects now (for a watch without a version); `storeRv` is the store's version now.
   */
  serve(response: ServerResponse, res: ApiResource, namespace: string | undefined, url: URL, current: () => KubeObject[], storeRv: number): void {
    const key = resourceKey(res);
    const selector = parseSelector(url.searchParams.get('labelSelector'));
    const from = url.searchParams.get('resourceVersion') ?? '';
    response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    // kube-apiserver answers the headers at once (the client's watch() resolves on them), events follow.
    response.flushHeaders();
    const gv = groupVersion(res);
    const send = (type: string, object: unknown) => response.write(`${JSON.stringify({ type, object })}\n`);
    const watcher: Watcher = { res, namespace, matches: (labels) => selector(labels), send: (type, object) => send(type, { ...(object as KubeObject), apiVersion: gv }) };
    if (!this.history.has(key)) this.history.set(key, { events: [], expiredUpTo: this.lastWrite.get(key) ?? 0 });
    const history = this.history.get(key)!;
    if (from === '' || from === '0') {
      for (const o of current()) if ((!namespace || o.metadata.namespace === namespace) && selector(o.metadata.labels)) watcher.send('ADDED', o);
    } else {
      const since = Number(from);
      if (!Number.isInteger(since) || since < 0) {
        send('ERROR', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'BadRequest', code: 400, message: `invalid resource version: ${from}` });
        return void response.end();
      }
      if (since < history.expiredUpTo) {
        // cacher.go: errors.NewResourceExpired(fmt.Sprintf("too old resource version: %d (%d)", ...)) through newErrWatcher.
        send('ERROR', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Expired', code: 410, message: `too old resource version: ${since} (${history.expiredUpTo + 1})` });
        return void response.end();
      }
      for (const e of history.events) if (e.rv > since) deliver(watcher, e);
    }
    let set = this.watchers.get(key);
    if (!set) this.watchers.set(key, (set = new Set()));
    set.add(watcher);
    const timers: NodeJS.Timeout[] = [];
    const end = () => {
      set.delete(watcher);
      for (const t of timers) clearTimeout(t);
      if (!response.writableEnded) response.end();
    };
    if (url.searchParams.get('allowWatchBookmarks') === 'true') {
      const bookmark = setInterval(() => send('BOOKMARK', { kind: res.kind, apiVersion: gv, metadata: { resourceVersion: String(Math.max(storeRv, this.lastWrite.get(key) ?? 0)) } }), BOOKMARK_EVERY_MS);
      bookmark.unref();
      timers.push(bookmark);
    }
    const timeoutSeconds = Number(url.searchParams.get('timeoutSeconds') ?? 0);
    if (timeoutSeconds > 0) timers.push(setTimeout(end, timeoutSeconds * 1000).unref());
    response.on('close', end);
  }
}

function deliver(w: Watcher, e: HistoryEvent): void {
  if (w.namespace && e.object.metadata.namespace !== w.namespace) return;
  const now = e.type !== 'DELETED' && w.matches(e.object.metadata.labels);
  const before = e.type !== 'ADDED' && w.matches(e.previousLabels ?? e.object.metadata.labels);
  if (now && before) w.send('MODIFIED', e.object);
  else if (now) w.send('ADDED', e.object);
  else if (before) w.send('DELETED', e.object);
}
