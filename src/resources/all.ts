// Importing this module registers every resource kind (one line per kind, grouped by layer).
import { registerKind } from './registry.js';
import { albReadback } from './edge/alb-readback.js';

// network
// iam
// eks
// kube
// edge
registerKind('edge', albReadback);

export { registerKind };
