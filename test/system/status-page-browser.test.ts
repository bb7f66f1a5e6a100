// The status page in a real headless Chromium (Debian's package, driven by playwright-core, never
// a downloaded browser) against the built daemon on the sandbox: every resource of the reference
// platform with the state /status gives it, a chart per probe, a phone-width layout without
// sideways scrolling, and a listener rule deleted behind platformd's back appearing as drift with
// its field path without reloading the page. A screenshot is saved on failure.
import t from 'tap';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { DeleteRuleCommand, DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startDaemonWorld } from '../helpers/daemon-world.js';
import { eventually, startCli } from '../helpers/cli.js';
import type { DaemonStatus } from '../../src/daemon-status.js';

// Converging the whole reference platform takes minutes on a loaded 2-core machine: deadlines
// below only bound a hang.
t.setTimeout(600_000);

const CHROMIUM = '/usr/bin/chromium';
const ALB = 'edge/alb/grpc-demo';

async function launch(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'platformd-chromium-')), {
    executablePath: CHROMIUM, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Each resource row's id, its /status state and the state words shown. */
function rows(page: Page): Promise<{ id: string; state: string; shown: string; paths: string[] }[]> {
  return page.$$eval('tr.resource', (trs) => trs.map((tr) => ({
    id: tr.getAttribute('data-id') ?? '', state: tr.getAttribute('data-state') ?? '',
    shown: tr.querySelector('td.state')?.textContent ?? '', paths: [...tr.querySelectorAll('code.path')].map((c) => c.textContent ?? ''),
  })));
}

t.test('the status page in Chromium follows /status, live', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} missing (apt-get install chromium)` }, async (t) => {
  // Converge in apply mode; then watch the same account in detect mode, where drift stays visible
  // instead of being repaired by the reconcile that finds it.
  const w = await startDaemonWorld(['--poll-interval', '1s', '--resync-interval', '10m'], {}, {
    full: true,
    prepare: (repo) => repo.commitSpec((s) => s.replace(/interval: 5s/g, 'interval: 1s').replace(/timeout: 2s/g, 'timeout: 500ms'), 'probe every second'),
  });
  t.teardown(w.close);
  const statusAt = async (url: string) => (await (await fetch(`${url}/status`)).json()) as DaemonStatus;
  await eventually(async () => {
    const s = await statusAt(w.url);
    return s.lastReconcile?.outcome === 'success' && s.probes?.length === 3 && s.probes.every((p) => p.success);
  }, 300_000, 'converged with three passing probes').catch(async (err) => {
    t.comment(JSON.stringify(await statusAt(w.url).catch(() => ({}))).slice(0, 3000));
    t.comment(`daemon output, last lines:\n${w.daemon.output().slice(-4000)}`);
    throw err;
  });
  await w.daemon.stop();

  const sandboxSays = async (pattern: RegExp) => (await w.sandbox.waitFor(pattern))[1]!;
  const scope = ['--dns-server', await sandboxSays(/DNS for the emulated zones on (\S+)/), '--ca-file', await sandboxSays(/CA certificate written to (\S+)/),
    '--probe-port', await sandboxSays(/ALBs serve HTTPS on port (\d+)/)];
  const detect = startCli(['run', '--repo', w.repo.dir, '--listen', '127.0.0.1:0', ...scope, '--mode', 'detect', '--poll-interval', '1s', '--resync-interval', '2s',
    '--workdir', mkdtempSync(join(tmpdir(), 'platformd-work-'))], w.env);
  t.teardown(() => detect.stop());
  const url = (await detect.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
  const history = async () => (await (await fetch(`${url}/status/probe-history`)).json()) as { services: { service: string; points: unknown[] }[] };
  await eventually(async () => {
    const s = await statusAt(url);
    return s.lastReconcile && s.resources.length > 0 && s.resources.every((r) => r.state === 'in-sync') && s.probes.length === 3
      && (await history()).services.filter((h) => h.points.length >= 2).length === 3;
  }, 180_000, 'detect daemon: everything in sync, three probes with history').catch(async (err) => {
    t.comment(JSON.stringify(await statusAt(url).catch(() => ({}))).slice(0, 3000));
    throw err;
  });

  const browser = await launch();
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  const shots = mkdtempSync(join(tmpdir(), 'platformd-status-page-'));
  try {
    await page.goto(`${url}/`);
    t.equal(await page.getAttribute('html', 'lang'), 'en');
    t.equal(await page.locator('h1').count(), 1, 'one h1');

    const status = await statusAt(url);
    const shown = await rows(page);
    t.same(shown.map((r) => r.id).sort(), status.resources.map((r) => r.id).sort(), `every resource of /status is on the page (${status.resources.length})`);
    for (const r of status.resources) {
      const row = shown.find((s) => s.id === r.id);
      t.equal(row?.state, r.state, `${r.id}: ${r.state}`);
    }
    t.ok(shown.every((r) => r.shown.includes('in sync')), 'the state is written as words, not colour alone');
    const layers = await page.$$eval('h3[id^="layer-"]', (hs) => hs.map((h) => h.id));
    t.same(layers, ['layer-network', 'layer-iam', 'layer-eks', 'layer-cluster', 'layer-alb', 'layer-dns'], 'network → IAM → EKS → cluster objects → ALB → DNS');

    const probes = await page.$$eval('tr.probe', (trs) => trs.map((tr) => ({
      service: tr.getAttribute('data-service'), charts: tr.querySelectorAll('svg.chart').length, lines: tr.querySelectorAll('svg.chart polyline').length,
      label: tr.querySelector('svg.chart')?.getAttribute('aria-label') ?? '',
    })));
    t.same(probes.map((p) => p.service).sort(), status.probes.map((p) => p.service).sort(), 'the three probes');
    t.ok(probes.every((p) => p.charts === 1 && p.lines === 1), 'one latency chart with a line per probe');
    t.ok(probes.every((p) => /probes in the last hour, latency/.test(p.label)), 'each chart names its numbers');

    await page.setViewportSize({ width: 375, height: 800 });
    const overflowing = await page.$$eval('body *', (els) => els.filter((e) => e.getBoundingClientRect().right > e.ownerDocument.documentElement.clientWidth + 1)
      .slice(0, 5).map((e) => `${e.tagName}.${e.getAttribute('class') ?? ''}: ${(e.textContent ?? '').slice(0, 60)}`));
    t.same(overflowing, [], 'at phone width nothing sticks out sideways');
    t.ok(await page.$eval('html', (e) => e.scrollWidth <= e.clientWidth + 1), 'at phone width the page does not scroll sideways');
    await page.setViewportSize({ width: 1280, height: 900 });

    const lb = (await w.aws.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers![0]!;
    const listener = (await w.aws.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners![0]!;
    const rule = (await w.aws.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules!.find((r) => JSON.stringify(r.Conditions).includes('helloworld.Greeter'))!;
    await w.aws.elbv2.send(new DeleteRuleCommand({ RuleArn: rule.RuleArn }));
    const drift = await eventually(async () => {
      const alb = (await statusAt(url)).resources.find((r) => r.id === ALB);
      return alb?.state === 'drifted' && alb.drift.length > 0 ? alb.drift.map((d) => d.path) : undefined;
    }, 60_000, `/status shows ${ALB} drifted (resync every 2 s)`);
    const seenInStatus = Date.now();
    // No reload: the page's own refresh (its inline script, allowed by the CSP's hash) must bring
    // the drift in. Polled from here: a function evaluated in the page would need 'unsafe-eval'.
    await eventually(async () => {
      const alb = (await rows(page)).find((r) => r.id === ALB);
      return alb?.state === 'drifted' && alb.shown.includes('drifted') && drift.every((p) => alb.paths.includes(p));
    }, 60_000, `the page shows ${ALB} drifted with ${drift.join(', ')}`);
    t.comment(`the page showed the drift ${Date.now() - seenInStatus} ms after /status did (refresh every 5 s); paths: ${drift.join(', ')}`);
    t.pass(`${ALB} drifted with ${drift.join(', ')} on the page without a reload`);
  } catch (err) {
    const file = join(shots, 'status-page-failure.png');
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    t.comment(`screenshot of the failing page: ${file}`);
    throw err;
  }
});
