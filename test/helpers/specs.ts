// Specs for tests: the reference platform with defaults, optionally changed by a function.
import { loadSpecFile } from '../../src/platform-spec/load.js';
import { withDefaults } from '../../src/platform-spec/defaults.js';
import type { PlatformSpec } from '../../src/platform-spec/types.js';
import type { ResolvedSpec } from '../../src/platform-spec/resolved.js';

/** The reference platform, changed by `change` and then resolved, so what the change adds gets its defaults too. */
export async function referenceSpec(change?: (s: PlatformSpec) => void): Promise<ResolvedSpec> {
  const loaded = await loadSpecFile('specs/platform.yaml');
  if (!loaded.ok) throw new Error('specs/platform.yaml does not validate');
  const spec: PlatformSpec = loaded.spec;
  change?.(spec);
  return withDefaults(spec);
}
