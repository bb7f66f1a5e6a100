// The alert rules are checked and unit-tested by the real promtool (Debian's prometheus package,
// installed by .ci/run). Without promtool on the machine this test fails rather than skips.
import t from 'tap';
import { execFileSync } from 'node:child_process';

function promtool(args: string[]): string {
  return execFileSync('promtool', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

t.test('promtool check rules accepts the rules file', async (t) => {
  t.match(promtool(['check', 'rules', 'ops/prometheus/rules.yml']), /SUCCESS: \d+ rules found/);
});

t.test('promtool test rules passes every rule unit test', async (t) => {
  t.match(promtool(['test', 'rules', 'ops/prometheus/rules.test.yml']), /SUCCESS/);
});
