# syntax=docker/dockerfile:1
# The Pushline server (docs/deployment.md "Docker"):
#   docker build -t pushline .
#   docker run -d -p 8080:8080 -v pushline-data:/data -e PUSHLINE_MASTER_KEY=<64 hex chars> pushline
# `pushline serve` is PID 1 (exec form, no shell, no npm in between), so `docker stop` reaches it: it stops
# gracefully within shutdownTimeout (20 s; give docker stop/compose that much, e.g. `docker stop -t 30`).
# It starts no child processes, so it needs no init; `docker run --init` (tini) is harmless.

# Build: every workspace (the server, the simulators it embeds in sandbox mode, the console it serves, the
# contracts they share).
FROM node:20-slim AS build
WORKDIR /app
# better-sqlite3 downloads a prebuilt binary; these compile it where none exists. Build tools only, in a stage
# that is thrown away: their versions are Debian's of the base image.
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/server/package.json packages/server/
COPY packages/simulator/package.json packages/simulator/
COPY packages/console/package.json packages/console/
COPY packages/sdk/package.json packages/sdk/
# `npm ci` refuses a lockfile without every optional platform package (.ci/run); this installs the locked versions.
RUN npm install --no-audit --no-fund
COPY packages packages
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund

# Run: the built server, its production dependencies and the built console; no compilers, no sources.
FROM node:20-slim
ENV PUSHLINE_DATA=/data \
    PUSHLINE_HOST=0.0.0.0 \
    PUSHLINE_PORT=8080
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules node_modules
# The shapes and tables the server and the simulators import at run time (@pushline/contracts).
COPY --from=build /app/packages/contracts/package.json packages/contracts/
COPY --from=build /app/packages/contracts/dist packages/contracts/dist
COPY --from=build /app/packages/server/package.json packages/server/
COPY --from=build /app/packages/server/bin packages/server/bin
COPY --from=build /app/packages/server/dist packages/server/dist
COPY --from=build /app/packages/simulator/package.json packages/simulator/
COPY --from=build /app/packages/simulator/bin packages/simulator/bin
COPY --from=build /app/packages/simulator/dist packages/simulator/dist
COPY --from=build /app/packages/console/dist packages/console/dist
# The data directory: SQLite database (single node), generated master key and node ID.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PUSHLINE_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "packages/server/dist/cli.js"]
CMD ["serve"]
