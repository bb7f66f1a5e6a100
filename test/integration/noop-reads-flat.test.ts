// A no-op reconcile's API calls equal README's formula (test/helpers/noop-calls.ts) at 3 and 30
// services, and stay equal after the account fills with other people's resources: 100 ACM
// certificates (10 of them for the platform's own domain, not ours), 100 hosted zones, 100 EKS
// clusters and 100 ALBs, made through the real SDK clients against the sandbox.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { seedForeignResources } from '../helpers/foreign-resources.js';
import { noopCalls, shapeOf } from '../helpers/noop-calls.js';
import { generatePlatform } from '../bench/generate.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { countedPlan, onePlan } from '../helpers/counted-plan.js';
import { loadSpecFile } from '../../src/platform-spec/load.js';
import { withDefaults } from '../../src/platform-spec/defaults.js';

for (const services of [3, 30]) {
  t.test(`${services} services: the no-op reconcile costs the formula's calls, with or without 400 foreign resources`, async (t) => {
    const sb = await startTestSandbox();
    t.teardown(sb.close);
    const platform = generatePlatform(services);
    const loaded = await loadSpecFile(platform.specPath, { protosDir: platform.protosDir });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
    const spec = withDefaults(loaded.spec);
    const opts = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients), protosDir: platform.protosDir };
    const applied = await applyPlatform(opts);
    t.same(applied.failed, [], 'converged');
    // The first plan after an apply reads what the apply created (target-group tags, the issued
    // certificate); from then on a no-op plan costs the formula.
    await planPlatform(opts);
    const quiet = await countedPlan(opts);
    t.same(quiet.result.plan.changes, [], 'a no-op plan');
    const formula = noopCalls(shapeOf(quiet.result.graph));
    t.equal(quiet.total, formula, `the formula's ${formula} calls (shape ${JSON.stringify(shapeOf(quiet.result.graph))}; measured: ${JSON.stringify(quiet.calls)})`);

    const sameDomain = 10;
    await seedForeignResources(sb.clients, quiet.result.observed, { count: 100, domain: spec.domain!.name, sameDomain });
    // The first plan after seeding is measured as it comes (a re-measure would find the tags cached).
    const first = await onePlan(opts);
    t.same(first.result.plan.changes, [], 'still a no-op plan');
    // A certificate of the platform's own domain, and an ALB, is another party's only by its tags:
    // read once, the first time it is listed (ALBs 20 per DescribeTags), then known (cached by ARN;
    // a tag read is cached when it succeeds, so even a retried kind does not read them twice).
    t.equal(first.calls['acm:ListTagsForCertificate'], sameDomain, 'tags read for the same-domain certificates only');
    t.equal(first.calls['elbv2:DescribeTags'], 100 / 20, 'and for the new ALBs, 20 per call');
    if (first.failures.length === 0) {
      t.equal(first.total, formula + sameDomain + 100 / 20, `the formula plus those first tag reads (measured: ${JSON.stringify(first.calls)})`);
    } else {
      t.comment(`the first plan after seeding had failing calls (${first.failures.join(', ')}): its total is not compared, the next plans' are`);
    }
    const again = await countedPlan(opts);
    t.equal(again.total, formula, `flat: the formula's ${formula} calls with 400 foreign resources (measured: ${JSON.stringify(again.calls)})`);
  });
}
