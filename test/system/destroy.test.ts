// `platformd destroy` with the built CLI against the sandbox, from the converged reference
// platform (whose deletion.allow is empty):
// - without a terminal and without --auto-approve it shows the plan with every stateful category
//   blocked and named, refuses with the reason (exit 1) and deletes nothing;
// - with --auto-approve --allow-all it deletes everything in deletion order (the Ingress before the
//   cluster, the cluster before the VPC), exits 0, and leaves zero resources tagged with the
//   platform in every emulated service and zero that the load balancer controller made for its
//   Ingress group (ALB, target groups, security groups);
// - run again, there is nothing to destroy.
import t from 'tap';
import { exited, startCli } from '../helpers/cli.js';
import { leftovers } from '../helpers/teardown.js';
import { awsClients, resetAwsClients } from '../../src/cloud/aws.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/world.js';


t.test('destroy from the converged reference platform', async (t) => {
  const sandbox = startCli(['sandbox', '--port', '0', '--time-scale', '0.003']);
  t.teardown(() => sandbox.stop());
  const endpoint = (await sandbox.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
  const env = { AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'ap-northeast-1', ...SANDBOX_CREDENTIALS };
  Object.assign(process.env, env);
  resetAwsClients();
  t.teardown(resetAwsClients);
  const count = () => leftovers(awsClients({ region: 'ap-northeast-1', maxAttempts: 3 }), 'grpc-demo', 'grpc-demo');

  t.equal(await exited(startCli(['apply', 'specs/platform.yaml', '--auto-approve'], env)), 0, 'the reference platform converged');
  // Converged means converged as the CLI sees it (issues 13 and 14): server defaults, other field
  // managers and the listed certificate read back as no change, and CI can rely on the exit code.
  const plan = startCli(['plan', 'specs/platform.yaml', '--detailed-exitcode'], env);
  const planCode = await exited(plan);
  t.equal(planCode, 0, 'plan --detailed-exitcode exits 0 after apply');
  if (planCode !== 0) t.comment(plan.output().slice(-3000));
  const before = await count();
  t.ok(before['eks clusters']! > 0 && before['elbv2 load balancers']! > 0 && before['ec2 controller security groups']! > 0, `a platform to destroy: ${JSON.stringify(before)}`);

  const refused = startCli(['destroy', 'specs/platform.yaml'], env);
  t.equal(await exited(refused), 1, 'without a terminal and without --auto-approve: exit 1');
  const shown = refused.output();
  t.match(shown, /not allowed by deletion\.allow, so left in place: network, cluster, nodeGroups, hostedZone, certificate, iam, repositories; --allow-all/, 'the stateful categories are named as blocked');
  for (const [id, category] of [['network/vpc', 'network'], ['eks/cluster', 'cluster'], ['eks/nodegroup/default', 'nodeGroups'], ['iam/role/cluster', 'iam'], ['edge/certificate', 'certificate']]) {
    t.match(shown, new RegExp(`! ${id}  [^\\n]*\\n(    [^\\n]*\\n)*    blocked: set deletion\\.allow: \\[${category}\\]`), `${id} shown blocked, naming ${category}`);
  }
  t.match(shown, /- kube\/Ingress\/default\/grpc-demo/, 'what needs no opt-in is planned for deletion');
  t.match(shown, /stdin is not a terminal; pass --auto-approve to destroy without confirmation\. Nothing was deleted\./, 'the reason for refusing');
  t.same(await count(), before, 'nothing was deleted');

  const destroyed = startCli(['destroy', 'specs/platform.yaml', '--auto-approve', '--allow-all'], env);
  const code = await exited(destroyed);
  const out = destroyed.output();
  t.equal(code, 0, 'destroy --auto-approve --allow-all exits 0');
  t.match(out, /--allow-all: deletion allowed for every category: network, cluster, nodeGroups, hostedZone, certificate, iam, repositories/, 'the plan header says --allow-all');
  t.notMatch(out, /^! /m, 'nothing blocked');
  const at = (id: string) => out.indexOf(`- ${id}  `);
  t.ok(at('kube/Ingress/default/grpc-demo') >= 0 && at('kube/Ingress/default/grpc-demo') < at('eks/nodegroup/default')
    && at('eks/nodegroup/default') < at('eks/cluster') && at('eks/cluster') < at('network/vpc'), 'shown in the order the deletions run');
  t.match(out, /Destroy complete in \d+s: \d+ applied, 0 failed, 0 skipped\./, 'the summary says complete');

  const after = await count();
  t.same(after, Object.fromEntries(Object.keys(after).map((k) => [k, 0])), 'nothing owned or controller-made is left in any emulated service');

  const again = startCli(['destroy', 'specs/platform.yaml', '--auto-approve', '--allow-all'], env);
  t.equal(await exited(again), 0, 'a second destroy exits 0');
  t.match(again.output(), /Nothing to destroy: no resource owned by platform grpc-demo was found\./, 'and finds nothing');
});
