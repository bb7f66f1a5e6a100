// The node's ECR pull on its own: which images it pulls, the calls it makes in order, containerd's
// wording for each refusal (401 without a token, 403 when the manifest or a layer is refused, not
// found for a missing tag), IfNotPresent against Always, and the kubelet's back-off on the clock.
import t from 'tap';
import { ScaledClock } from '../../../src/sandbox/clock.js';
import { EcrService } from '../../../src/sandbox/aws/services/ecr/index.js';
import { ServiceError, type RequestContext } from '../../../src/sandbox/aws/service.js';
import { ecrImagePuller } from '../../../src/sandbox/controllers/image-pull.js';

const ACCOUNT = '123456789012';
const REGION = 'ap-northeast-1';
const IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/route-guide:1.0.0`;

function setup(refuse: string[] = [], scale = 0) {
  const clock = new ScaledClock(scale);
  const ecr = new EcrService();
  const ctx: RequestContext = { requestId: 'test', accountId: ACCOUNT, region: REGION, accessKeyId: 'AKIATEST', clock, host: 'test' };
  ecr.operations.CreateRepository!({ repositoryName: 'route-guide' }, ctx);
  const calls: string[] = [];
  const identity = {
    async call<T>(accessKey: string | undefined, service: string, operation: string, _input: Record<string, unknown>, _region: string, run: () => Promise<T>): Promise<T> {
      calls.push(`${accessKey}:${service}:${operation}`);
      if (refuse.includes(operation)) throw new ServiceError('AccessDeniedException', `not authorized to perform: ecr:${operation}`, 403);
      return run();
    },
  };
  const puller = ecrImagePuller({ accountId: ACCOUNT, clock, ecr, nodeKey: async (node) => `key-of-${node}`, identity });
  return { puller, ecr, calls, clock };
}

const noop = () => undefined;

t.test('only ECR images of the sandbox\'s account are pulled here', async (t) => {
  const { puller } = setup();
  t.ok(puller.handles(IMAGE));
  t.notOk(puller.handles('public.ecr.aws/platformd/route-guide:1.0.0'), 'a public image');
  t.notOk(puller.handles(`210987654321.dkr.ecr.${REGION}.amazonaws.com/route-guide:1.0.0`), 'another account\'s registry');
});

t.test('a pushed tag: token, manifest and layer as the node, then IfNotPresent pulls it no more', async (t) => {
  const { puller, ecr, calls } = setup();
  ecr.pushImage(REGION, 'route-guide', '1.0.0', ACCOUNT);
  let started = 0;
  t.same(await puller.pull(IMAGE, 'node-a', 'IfNotPresent', () => { started++; }), { ok: true, alreadyPresent: false });
  t.same(calls, ['key-of-node-a:ecr:GetAuthorizationToken', 'key-of-node-a:ecr:BatchGetImage', 'key-of-node-a:ecr:GetDownloadUrlForLayer'], 'the calls a pull makes, as the node\'s session');
  t.same(await puller.pull(IMAGE, 'node-a', 'IfNotPresent', () => { started++; }), { ok: true, alreadyPresent: true }, 'present on the node');
  t.equal(started, 1, 'one pull started');
  t.same(await puller.pull(IMAGE, 'node-b', 'IfNotPresent', noop), { ok: true, alreadyPresent: false }, 'another node pulls it itself');
  t.same(await puller.pull(IMAGE, 'node-a', 'Always', noop), { ok: true, alreadyPresent: false }, 'Always pulls again');
});

t.test('a tag not pushed, or no repository: not found', async (t) => {
  const { puller } = setup();
  t.match(await puller.pull(IMAGE, 'node-a', 'IfNotPresent', noop), { ok: false, notFound: true, message: new RegExp(`^rpc error: code = NotFound desc = failed to pull and unpack image "${IMAGE}": .*: ${IMAGE}: not found$`) });
  const other = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/nothing-here:1.0.0`;
  t.match(await puller.pull(other, 'node-a', 'IfNotPresent', noop), { ok: false, notFound: true, message: /nothing-here:1\.0\.0: not found$/ });
});

t.test('refusals read as containerd reports them', async (t) => {
  const manifest = `https://${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/v2/route-guide/manifests/1.0.0`;
  const token = setup(['GetAuthorizationToken']);
  token.ecr.pushImage(REGION, 'route-guide', '1.0.0', ACCOUNT);
  t.match(await token.puller.pull(IMAGE, 'node-a', 'IfNotPresent', noop), { ok: false, notFound: false, message: `unexpected status from HEAD request to ${manifest}: 401 Unauthorized` }, 'no token: the anonymous pull is unauthorised');
  t.same(token.calls, ['key-of-node-a:ecr:GetAuthorizationToken'], 'nothing after the refused token');
  const image = setup(['BatchGetImage']);
  image.ecr.pushImage(REGION, 'route-guide', '1.0.0', ACCOUNT);
  t.match(await image.puller.pull(IMAGE, 'node-a', 'IfNotPresent', noop), { ok: false, notFound: false, message: `unexpected status from HEAD request to ${manifest}: 403 Forbidden` }, 'the manifest refused: forbidden');
  const layer = setup(['GetDownloadUrlForLayer']);
  layer.ecr.pushImage(REGION, 'route-guide', '1.0.0', ACCOUNT);
  t.match(await layer.puller.pull(IMAGE, 'node-a', 'IfNotPresent', noop), { ok: false, notFound: false, message: /blobs\/sha256:[0-9a-f]{64}: 403 Forbidden$/ }, 'a layer refused: forbidden');
});

t.test('the back-off doubles from 10 s to 300 s on the clock, with a real floor when the clock is instantaneous', async (t) => {
  const scaled = setup([], 1 / 60).puller;
  t.same([1, 2, 3, 4, 5, 6, 12].map((n) => scaled.backOff(n)), [250, 500, 1000, 2000, 2667, 5000, 5000], '160 s is 2667 ms at 1/60 and 300 s the cap; the floor lifts the first tries');
  const instantaneous = setup([], 0).puller;
  t.same([1, 2, 3, 4, 5, 9].map((n) => instantaneous.backOff(n)), [250, 500, 1000, 2000, 2000, 2000], 'the floor doubles up to 2 s');
});
