// kubectl against a sandbox cluster with the kubeconfig `platformd kubeconfig` writes: kubectl runs
// the built `platformd token` as its exec credential plugin and lists the platform's Deployments.
import t from 'tap';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { convergedPlatform } from '../helpers/platform.js';

interface Run { code: number; stdout: string; stderr: string }

/** Run a program to its exit without blocking the event loop (the sandbox answers in-process). */
function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((done) => {
    execFile(file, args, { env, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      done({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

const CONFIG_MAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: kubectl-check
  namespace: default
data:
  greeting: hello
`;

const kubectl = process.env.KUBECTL ?? 'kubectl';
const version = await run(kubectl, ['version', '--client', '-o', 'json'], process.env);
const minor = version.code === 0 ? Number.parseInt((JSON.parse(version.stdout) as { clientVersion: { minor: string } }).clientVersion.minor, 10) : 0;
const noKubectl = version.code === 0 ? false : `no kubectl to run (${kubectl}: ${version.stderr.trim() || 'not found'}); .ci/run installs kubernetes-client`;

t.test('kubectl with the kubeconfig from platformd kubeconfig', { skip: noKubectl }, async (t) => {
  // client.authentication.k8s.io/v1 needs kubectl ≥ 1.22; Debian 12's kubernetes-client is 1.20.
  const execApiVersion = minor >= 22 ? 'v1' : 'v1beta1';
  t.comment(`kubectl 1.${minor}, exec credential API ${execApiVersion}`);

  const { sb } = await convergedPlatform(t);
  const dir = mkdtempSync(join(tmpdir(), 'platformd-kubectl-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // `platformd` on kubectl's PATH, as an installed CLI would be.
  const bin = join(dir, 'bin');
  const wrapper = join(bin, 'platformd');
  await run('mkdir', ['-p', bin], process.env);
  writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${resolve('dist/cli.js')}" "$@"\n`);
  chmodSync(wrapper, 0o755);
  const env = { ...process.env, ...sb.env(), NODE_NO_WARNINGS: '1', PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };

  const kubeconfig = join(dir, 'config');
  const written = await run(wrapper, ['kubeconfig', 'specs/platform.yaml', '--out', kubeconfig, '--exec-api-version', execApiVersion], env);
  t.equal(written.code, 0, `platformd kubeconfig: ${written.stderr}`);
  const kenv = { ...env, KUBECONFIG: kubeconfig };

  const deployments = await run(kubectl, ['get', 'deploy', '-A', '--no-headers', '-o', 'custom-columns=NS:.metadata.namespace,NAME:.metadata.name'], kenv);
  t.equal(deployments.code, 0, `kubectl get deploy -A: ${deployments.stderr}`);
  t.same(deployments.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).join('/')).sort(),
    ['default/greeter', 'default/kv-store', 'default/route-guide', 'kube-system/aws-load-balancer-controller'], 'the platform\'s Deployments');

  const manifest = join(dir, 'cm.yaml');
  writeFileSync(manifest, CONFIG_MAP);
  const applied = await run(kubectl, ['apply', '--server-side', '--validate=false', '-f', manifest], kenv);
  t.equal(applied.code, 0, `kubectl apply --server-side --validate=false: ${applied.stderr}`);
  const manager = await run(kubectl, ['get', 'configmap', 'kubectl-check', '-n', 'default', '-o', 'jsonpath={.metadata.managedFields[*].manager}'], kenv);
  t.equal(manager.stdout, 'kubectl', 'server-side applied under kubectl\'s field manager');

  // Client-side validation on: kubectl reads /openapi/v3 and, the PATCH operation declaring
  // fieldValidation, leaves validation to the server (Strict). Checked with kubectl 1.32. kubectl
  // before 1.27 downloads /openapi/v2 as gnostic protobuf and validates against it client-side
  // (checked with Debian 12's kubectl 1.20).
  const validated = await run(kubectl, ['apply', '--server-side', '-f', manifest], kenv);
  t.equal(validated.code, 0, `kubectl apply --server-side (validation on): ${validated.stderr.trim()}`);
  const misspelt = join(dir, 'misspelt.yaml');
  writeFileSync(misspelt, CONFIG_MAP.replace('\ndata:', '\ndta:'));
  const refused = await run(kubectl, ['apply', '--server-side', '-f', misspelt], kenv);
  t.not(refused.code, 0, 'an unknown field is refused');
  t.match(refused.stderr, /dta/, `naming the field: ${refused.stderr.trim()}`);
  writeFileSync(manifest, CONFIG_MAP.replace('hello', 'hi'));
  const diff = await run(kubectl, ['diff', '-f', manifest], kenv);
  t.equal(diff.code, 1, `kubectl diff exits 1 on a difference: ${diff.stderr.trim()}`);
  t.match(diff.stdout, /-\s+greeting: hello[\s\S]*\+\s+greeting: hi/, 'and shows it');
  const live = await run(kubectl, ['get', 'configmap', 'kubectl-check', '-n', 'default', '-o', 'jsonpath={.data.greeting}'], kenv);
  t.equal(live.stdout, 'hello', 'kubectl diff (a dryRun=All patch) changed nothing');
  const serverSideDiff = await run(kubectl, ['diff', '--server-side', '-f', manifest], kenv);
  t.equal(serverSideDiff.code, 1, `kubectl diff --server-side exits 1 on a difference: ${serverSideDiff.stderr.trim()}`);
  t.equal((await run(kubectl, ['get', 'configmap', 'kubectl-check', '-n', 'default', '-o', 'jsonpath={.data.greeting}'], kenv)).stdout, 'hello', 'nor did diff --server-side');
});
