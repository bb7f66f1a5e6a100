import t from 'tap';
import { createHmac } from 'node:crypto';
import { verifyWebhook } from '../../../src/source/webhook.js';

const body = Buffer.from('{"ref":"refs/heads/main"}');
const sign = (secret: string, b = body) => `sha256=${createHmac('sha256', secret).update(b).digest('hex')}`;

t.test('webhook verification', async (t) => {
  const cases: [string, Record<string, string>, Buffer, boolean][] = [
    ['a GitHub signature over the raw body is accepted', { 'x-hub-signature-256': sign('s3cret') }, body, true],
    ['a signature made with another secret is refused', { 'x-hub-signature-256': sign('other') }, body, false],
    ['a signature over a different body is refused', { 'x-hub-signature-256': sign('s3cret') }, Buffer.from('{"ref":"x"}'), false],
    ['a GitLab token equal to the secret is accepted', { 'x-gitlab-token': 's3cret' }, body, true],
    ['a wrong GitLab token is refused', { 'x-gitlab-token': 's3cre' }, body, false],
    ['no signature at all is refused', {}, body, false],
  ];
  for (const [reason, headers, b, ok] of cases) t.equal(verifyWebhook(headers, b, 's3cret').ok, ok, reason);
});
