// Shared by plan and apply: load the spec (or print its diagnostics) and parse --layers.
import { formatDiagnostic } from '../platform-spec/diagnostics.js';
import { loadSpecFile } from '../platform-spec/load.js';
import { LAYER_ORDER, type LayerName } from '../resources/registry.js';
import type { ResolvedSpec } from '../platform-spec/resolved.js';

export function parseLayers(value: string | undefined): LayerName[] | string {
  if (!value) return LAYER_ORDER;
  const layers = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = layers.filter((l) => !LAYER_ORDER.includes(l as LayerName));
  if (bad.length > 0) return `unknown layer(s) ${bad.join(', ')}; choose from ${LAYER_ORDER.join(', ')}`;
  return layers as LayerName[];
}

/** The spec with its defaults applied, or undefined after printing every diagnostic to stderr. */
export async function loadSpecOrReport(file: string, protosDir?: string): Promise<{ spec: ResolvedSpec; protosDir: string } | undefined> {
  const result = await loadSpecFile(file, { protosDir });
  for (const d of result.diagnostics) console.error(formatDiagnostic(d));
  if (!result.ok) {
    console.error(`${file}: invalid; nothing was planned and no AWS call was made.`);
    return undefined;
  }
  return { spec: result.spec, protosDir: result.protosDir };
}
