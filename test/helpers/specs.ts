// Specs for tests: the reference platform with defaults, optionally changed by a function.
import { loadSpecFile } from '../../src/spec/load.js';
import { withDefaults } from '../../src/spec/defaults.js';
import type { PlatformSpec } from '../../src/spec/types.js';

export async function referenceSpec(change?: (s: PlatformSpec) => void): Promise<PlatformSpec> {
  const loaded = await loadSpecFile('specs/platform.yaml');
  if (!loaded.ok) throw new Error('specs/platform.yaml does not validate');
  const spec = withDefaults(loaded.spec);
  change?.(spec);
  return spec;
}
