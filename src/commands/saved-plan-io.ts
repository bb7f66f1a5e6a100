// Saved plans on disk for `plan -out FILE` and `apply FILE`: what they were made from is read
// here (the spec's bytes), the comparison itself is plan/saved.ts.
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { PlanResult } from '../engine.js';
import type { LayerName } from '../resources/registry.js';
import { parseSavedPlan, savePlan, sha256, whatMoved, type SavedPlan } from '../plan/saved.js';

/** sha256 of the spec file's bytes, or undefined when it cannot be read. */
export async function specFileHash(file: string): Promise<string | undefined> {
  try {
    return sha256(await readFile(file));
  } catch {
    return undefined;
  }
}

/** Write `planned` with what it was made from (mode 0600: it holds the live state's ids). */
export async function writePlanFile(out: string, planned: PlanResult, spec: { file: string; sha256: string; protosDir: string; layers: LayerName[] }): Promise<void> {
  const saved = savePlan({ plan: planned.plan, observed: planned.observed, spec: { ...spec, file: resolve(spec.file) } });
  await writeFile(out, `${JSON.stringify(saved, null, 1)}\n`, { mode: 0o600 });
}

/** The saved plan in `file`, or undefined when the file is a spec (or unreadable: the spec path reports it). */
export async function readPlanFile(file: string): Promise<SavedPlan | undefined> {
  try {
    return parseSavedPlan(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** What moved since `saved` was made, judged against a plan made now from the same spec. */
export async function staleness(saved: SavedPlan, fresh: PlanResult | undefined): Promise<string[]> {
  const specSha256 = await specFileHash(saved.spec.file);
  if (!fresh || specSha256 !== saved.spec.sha256) {
    return whatMoved(saved, { specSha256, plan: saved.plan, observed: new Map() }).filter((m) => m.startsWith('the spec'));
  }
  return whatMoved(saved, { specSha256, plan: fresh.plan, observed: fresh.observed });
}
