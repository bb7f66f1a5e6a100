# syntax=docker/dockerfile:1
# platformd container image: build with the full toolchain, ship only the production bundle
# (dist/platformd.mjs, its spec-loading worker and the chunks they import: platformd and every dependency it runs, minified —
# no node_modules), protos and schema on the current Node LTS, as a non-root user, with git for the daemon.
ARG NODE_IMAGE=node:26.10.0-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
# The sandbox (emulated AWS and Kubernetes, the demo) is for laptops and tests, not production:
# the bundle leaves it out, and `platformd sandbox|demo` says so.
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
# glibc's malloc returns freed memory (the bundle's shebang sets the same; README's Performance).
ENV NODE_ENV=production \
    PLATFORMD_LISTEN=0.0.0.0:8080 \
    MALLOC_MMAP_THRESHOLD_=16384 \
    MALLOC_TRIM_THRESHOLD_=0
WORKDIR /app
COPY --from=build /src/dist/platformd*.mjs ./dist/
COPY package.json ./
COPY schema ./schema
COPY protos ./protos
# The daemon clones into a writable volume; the root filesystem can stay read-only.
RUN mkdir -p /var/lib/platformd && chown 10001:10001 /var/lib/platformd
USER 10001:10001
VOLUME ["/var/lib/platformd"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The bundle's shebang flags, spelled out (node runs the file, so its shebang line is not read);
# measured in README's Performance section.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--max-semi-space-size=1", "--no-opt", "--no-sparkplug", "--no-maglev", "--gc-memory-reducer-start-delay-ms=1000", "/app/dist/platformd.mjs"]
CMD ["run", "--repo", "/var/lib/platformd/repo", "--branch", "main", "--path", "specs/platform.yaml"]
