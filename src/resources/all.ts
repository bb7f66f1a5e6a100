// Importing this module registers every resource kind (one line per kind, grouped by layer).
import { registerKind } from './registry.js';

// network
// iam
// eks
// kube
// edge

export { registerKind };
