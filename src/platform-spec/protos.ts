// The .proto files under protos/, parsed at run time: which services exist, their methods, and the
// ALB path of each. Paths come only from here (grpcRoutePath), never typed by hand.
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import protobuf from 'protobufjs';
import { inside, PROTO_LIMITS } from '../source/checkout-jail.js';

export interface ProtoMethodInfo {
  name: string;
  requestType: string;
  responseType: string;
  requestStream: boolean;
  responseStream: boolean;
}

export interface ProtoServiceInfo {
  /** Fully qualified name, e.g. routeguide.RouteGuide. */
  fqName: string;
  package: string;
  name: string;
  /** The .proto file, relative to the protos directory. */
  file: string;
  methods: ProtoMethodInfo[];
}

const cache = new Map<string, Map<string, ProtoServiceInfo>>();
const signatures = new Map<string, { at: number; files: string[]; key: string }>();

/**
 * The .proto files under `dir`: regular files only, links followed only where they stay inside
 * `dir`, each real directory once (a link loop ends), bounded in count and depth like the
 * checkout jail. The daemon reads a snapshot of plain files; this guards the CLI's own directory.
 */
function protoFiles(dir: string): string[] {
  let root: string;
  try {
    root = realpathSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (real: string, depth: number) => {
    if (depth > PROTO_LIMITS.depth || seen.has(real)) return;
    seen.add(real);
    let entries: string[];
    try {
      entries = readdirSync(real).sort();
    } catch {
      return;
    }
    for (const entry of entries) {
      let target: string;
      let st;
      try {
        target = realpathSync(join(real, entry));
        if (!inside(root, target)) continue;
        st = statSync(target);
      } catch {
        continue; // dangling link, loop or unreadable: declares nothing
      }
      if (st.isDirectory()) walk(target, depth + 1);
      else if (st.isFile() && entry.endsWith('.proto') && st.size <= PROTO_LIMITS.fileBytes && out.length < PROTO_LIMITS.files) out.push(target);
    }
  };
  walk(root, 0);
  return out;
}

/**
 * Every service declared under `protosDir`, by fully qualified name. Parsed once per content of
 * the directory (files, sizes, mtimes); `reload` forces a re-parse.
 */
export function listProtoServices(protosDir: string, reload = false): Map<string, ProtoServiceInfo> {
  // Keyed by the files' paths, sizes and mtimes (a checkout that moves to a new commit is
  // re-read); the directory is looked at no more than once a second, not once per service.
  const seen = signatures.get(protosDir);
  let signature = seen && Date.now() - seen.at < 1_000 && !reload ? seen : undefined;
  if (!signature) {
    const files = protoFiles(protosDir);
    signature = { at: Date.now(), files, key: `${protosDir}|${files.map((f) => { const st = statSync(f); return `${f}:${st.size}:${st.mtimeMs}`; }).join('|')}` };
    signatures.set(protosDir, signature);
  }
  const { files, key } = signature;
  const hit = cache.get(key);
  if (hit && !reload) return hit;
  const services = new Map<string, ProtoServiceInfo>();
  const realProtosDir = files.length > 0 ? realpathSync(protosDir) : protosDir;
  for (const file of files) {
    let parsed: protobuf.IParserResult;
    try {
      parsed = protobuf.parse(readFileSync(file, 'utf8'), { keepCase: true });
    } catch {
      continue; // a file that does not parse declares nothing we can route to
    }
    const walk = (ns: protobuf.NamespaceBase) => {
      for (const nested of ns.nestedArray) {
        if (nested instanceof protobuf.Service) {
          const fqName = nested.fullName.replace(/^\./, '');
          const pkg = fqName.slice(0, fqName.lastIndexOf('.'));
          services.set(fqName, {
            fqName,
            package: pkg,
            name: nested.name,
            file: relative(realProtosDir, file),
            methods: nested.methodsArray.map((m) => ({
              name: m.name,
              requestType: m.requestType,
              responseType: m.responseType,
              requestStream: Boolean(m.requestStream),
              responseStream: Boolean(m.responseStream),
            })),
          });
        } else if (nested instanceof protobuf.Namespace) {
          walk(nested);
        }
      }
    };
    walk(parsed.root);
  }
  if (cache.size > 32) cache.clear();
  cache.set(key, services);
  return services;
}

export function findProtoService(protosDir: string, fqName: string): ProtoServiceInfo | undefined {
  return listProtoServices(protosDir).get(fqName);
}

/** The ALB path prefix of a gRPC service: exactly `/<package>.<Service>/`. */
export function grpcRoutePath(info: Pick<ProtoServiceInfo, 'fqName'>): string {
  return `/${info.fqName}/`;
}
