// Built-in objects on the sandbox API server as on kube-apiserver 1.35: decoded against the official
// OpenAPI definitions (unknown fields refused under fieldValidation=Strict, a Warning header under
// Warn, silently dropped under Ignore; wrong types refused), dryRun=All honoured on every write verb,
// and /openapi/v2 + /openapi/v3 served. Raw HTTPS, to see status codes and headers as kubectl does.
import t from 'tap';
import { request } from 'node:https';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform } from '../../src/engine.js';
import { eksToken } from '../../src/cloud/eks-token.js';

interface Reply { code: number; warning: string[]; body: any }

const deployment = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } }, ...spec },
});

t.test('built-in objects against the 1.35 OpenAPI schemas', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  t.ok((await applyPlatform({ spec: await referenceSpec((s) => { delete s.domain; }), aws: sb.clients, layers: ['network', 'iam', 'eks'] })).ok, 'cluster up');
  const cluster = (await sb.clients.eks.send(new DescribeClusterCommand({ name: 'grpc-demo' }))).cluster!;
  const token = (await eksToken(sb.clients.sts, 'grpc-demo')).token;
  const ca = Buffer.from(cluster.certificateAuthority!.data!, 'base64');
  const call = (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Reply> => new Promise((done, fail) => {
    const req = request(`${cluster.endpoint}${path}`, { method, ca, headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': contentType }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const w = res.headers.warning;
        done({ code: res.statusCode ?? 0, warning: w === undefined ? [] : [w].flat(), body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') });
      });
    });
    req.on('error', fail);
    req.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
  });
  const deployments = '/apis/apps/v1/namespaces/default/deployments';

  t.test('unknown fields: Strict refuses, Warn warns and drops, Ignore drops', async (t) => {
    const strict = await call('POST', `${deployments}?fieldValidation=Strict`, deployment('strict', { foo: 'bar' }));
    t.equal(strict.code, 400);
    t.match(strict.body, { kind: 'Status', reason: 'BadRequest', code: 400,
      message: 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"' });
    t.equal((await call('GET', `${deployments}/strict`)).code, 404, 'nothing was created');

    const nested = deployment('nested');
    (nested.spec.template.spec.containers[0] as Record<string, unknown>).imagePullPolicyy = 'Always';
    const both = await call('POST', `${deployments}?fieldValidation=Strict`, { ...nested, spec: { ...nested.spec, foo: 1 } });
    t.equal(both.body.message, 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolicyy", unknown field "spec.foo"', 'every unknown field, in document order');

    const warned = await call('POST', deployments, deployment('warned', { foo: 'bar' }));
    t.equal(warned.code, 201, 'Warn (the default) accepts');
    t.same(warned.warning, ['299 - "unknown field \\"spec.foo\\""'], 'with a Warning header');
    t.notOk('foo' in warned.body.spec, 'and drops the field');

    const ignored = await call('POST', `${deployments}?fieldValidation=Ignore`, deployment('ignored', { foo: 'bar' }));
    t.equal(ignored.code, 201);
    t.same(ignored.warning, [], 'Ignore: no warning');
    t.notOk('foo' in ignored.body.spec);

    const patched = await call('PATCH', `${deployments}/warned?fieldValidation=Strict`, { spec: { foo: 'bar' } }, 'application/merge-patch+json');
    t.match(patched.body, { code: 400, reason: 'BadRequest', message: 'strict decoding error: unknown field "spec.foo"' }, 'a merge patch under Strict');

    const applied = await call('PATCH', `${deployments}/applied?fieldManager=test`, JSON.stringify(deployment('applied', { foo: 'bar' })), 'application/apply-patch+yaml');
    t.equal(applied.code, 500, 'server-side apply refuses an undeclared field whatever fieldValidation says (upstream: 500)');
    t.equal(applied.body.message, 'failed to create typed patch object (default/applied; apps/v1, Kind=Deployment): .spec.foo: field not declared in schema');
  });

  t.test('a wrong type is refused with the field path', async (t) => {
    const created = await call('POST', deployments, deployment('typed', { replicas: 'two' }));
    t.match(created.body, { code: 400, reason: 'BadRequest',
      message: 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32' });
    t.equal((await call('POST', deployments, deployment('typed'))).code, 201);
    const patched = await call('PATCH', `${deployments}/typed`, { spec: { replicas: 'two' } }, 'application/merge-patch+json');
    t.equal(patched.code, 422, 'a patch that makes a wrong type is Invalid');
    t.match(patched.body, { reason: 'Invalid', details: { causes: [{ reason: 'FieldValueInvalid', field: 'patch' }] } });
    t.match(patched.body.message, /json: cannot unmarshal string into Go struct field DeploymentSpec\.spec\.replicas of type int32$/);
    const port = await call('PATCH', `${deployments}/typed`, [{ op: 'add', path: '/spec/template/spec/containers/0/ports', value: [{ containerPort: '80' }] }], 'application/json-patch+json');
    t.match(port.body.message, /cannot unmarshal string into Go struct field ContainerPort\.spec\.template\.spec\.containers\.ports\.containerPort of type int32$/);
    t.equal((await call('GET', `${deployments}/typed`)).body.spec.replicas, 1, 'the object is unchanged');
  });

  t.test('dryRun=All changes nothing on POST, PUT and every PATCH type', async (t) => {
    const dry = await call('POST', `${deployments}?dryRun=All`, deployment('dry'));
    t.equal(dry.code, 201);
    t.equal(dry.body.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent', 'the answer is defaulted as a real create would be');
    t.equal((await call('GET', `${deployments}/dry`)).code, 404, 'POST stored nothing');

    t.equal((await call('POST', deployments, deployment('kept'))).code, 201);
    // Read back: the sandbox's deployment controller writes status (and so the resourceVersion) after a create.
    const live = (await call('GET', `${deployments}/kept`)).body;
    // Unconditional (no resourceVersion): the controller's status writes must not make this a race.
    const put = await call('PUT', `${deployments}/kept?dryRun=All`, { ...live, metadata: { ...live.metadata, resourceVersion: undefined }, spec: { ...live.spec, replicas: 5 } });
    t.equal(put.code, 200, JSON.stringify(put.body));
    t.equal(put.body.spec.replicas, 5, 'PUT answers the new object');
    t.equal(put.body.metadata.generation, live.metadata.generation + 1, 'with the generation the write would give');
    for (const [type, body] of [
      ['application/merge-patch+json', { spec: { replicas: 6 } }],
      ['application/strategic-merge-patch+json', { spec: { replicas: 7 } }],
      ['application/json-patch+json', [{ op: 'replace', path: '/spec/replicas', value: 8 }]],
    ] as const) {
      const r = await call('PATCH', `${deployments}/kept?dryRun=All`, body, type);
      t.equal(r.code, 200, type);
      t.not(r.body.spec.replicas, 1, `${type} answers the patched object`);
    }
    const after = (await call('GET', `${deployments}/kept`)).body;
    t.equal(after.spec.replicas, 1, 'the stored object is unchanged');
    t.equal(after.metadata.generation, live.metadata.generation, 'and its spec was not written');
    const real = await call('PATCH', `${deployments}/kept`, [{ op: 'replace', path: '/spec/replicas', value: 2 }], 'application/json-patch+json');
    t.equal(real.body.spec.replicas, 2, 'a JSON patch without dryRun is stored');
    t.equal((await call('PATCH', `${deployments}/kept`, [{ op: 'test', path: '/spec/replicas', value: 3 }], 'application/json-patch+json')).code, 422, 'a failed test op refuses the patch');
  });

  t.test('/openapi/v2 and /openapi/v3 are served', async (t) => {
    const v2 = await call('GET', '/openapi/v2');
    t.equal(v2.body.swagger, '2.0');
    t.match(v2.body.definitions['io.k8s.api.apps.v1.Deployment'], { 'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'Deployment' }] });
    const root = await call('GET', '/openapi/v3');
    const url = root.body.paths['apis/apps/v1']?.serverRelativeURL as string;
    t.match(url, /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]+$/);
    t.ok(root.body.paths['api/v1'], 'the core group-version is listed');
    const gv = await call('GET', url);
    t.equal(gv.body.openapi, '3.0.0');
    const patch = gv.body.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    t.match(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
    t.ok(patch.parameters.some((p: { name: string; in: string }) => p.name === 'fieldValidation' && p.in === 'query'), 'PATCH declares fieldValidation (kubectl then validates server-side)');
    t.match(gv.body.components.schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.template, { $ref: '#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec' });
    t.equal((await call('GET', '/openapi/v3/apis/nope.example.com/v1')).code, 404);
  });
});
