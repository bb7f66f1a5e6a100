// The container image's contract: non-root, pinned Node LTS, git present, a healthcheck, and only
// the production bundle (platformd and the dependencies it runs, without the sandbox) in the final stage.
import t from 'tap';
import { readFileSync } from 'node:fs';

t.test('the Dockerfile builds a small non-root image with git and a healthcheck', async (t) => {
  const text = readFileSync('Dockerfile', 'utf8');
  const stages = text.split(/^FROM /m).slice(1);
  t.ok(stages.length >= 2, 'multi-stage');
  t.match(text, /ARG NODE_IMAGE=node:\d+\.\d+\.\d+-/, 'Node pinned to an exact version');
  const final = stages.at(-1)!;
  t.match(final, /apt-get install[^\n]*\bgit\b/, 'git in the final image (the daemon clones)');
  t.match(final, /^USER 10001/m, 'runs as non-root');
  t.match(final, /^HEALTHCHECK .*healthz/ms, 'healthcheck on /healthz');
  t.match(final, /^COPY --from=build \/src\/dist\/platformd\*\.mjs \.\/dist\/$/m, 'only the bundle (platformd.mjs, its worker and their chunks): the sandbox is left out of the image');
  t.notMatch(final, /node_modules|COPY --from=build \/src\/dist /, 'no node_modules, no tsc output: the bundle holds what runs');
  t.match(final, /^ENTRYPOINT \[.*"node", "--max-semi-space-size=1", "--no-opt", "--no-sparkplug", "--no-maglev", "--gc-memory-reducer-start-delay-ms=1000", "\/app\/dist\/platformd\.mjs"\]$/m, 'the bundle runs with its V8 flags');
  t.match(final, /MALLOC_MMAP_THRESHOLD_=16384 \\\n\s+MALLOC_TRIM_THRESHOLD_=0/, 'and its malloc settings');
  t.notMatch(final, /COPY (src|test) /, 'no sources or tests in the final image');
  t.match(final, /PLATFORMD_LISTEN=0\.0\.0\.0:8080/, 'listens on all interfaces inside the container');
});
