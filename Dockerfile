# syntax=docker/dockerfile:1
# Mission Control: one image for the server, the dashboard it serves and the `mission` CLI.
#   docker build -t mission-control .
#   docker run -p 4000:4000 -v mission-data:/data mission-control
# Multi-stage: the build stage has compilers and dev dependencies; the runtime stage has neither.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# Manifests first, so the dependency layer is reused while only sources change.
COPY package.json package-lock.json ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/sdk/package.json packages/sdk/
COPY packages/mcp/package.json packages/mcp/
COPY packages/runtime/package.json packages/runtime/
COPY packages/cli/package.json packages/cli/
COPY apps/server/package.json apps/server/
COPY apps/dashboard/package.json apps/dashboard/
# npm ci rejects lockfiles that list only one platform's optional binaries; install from the lockfile instead.
RUN npm install --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY packages packages
COPY apps apps
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf apps/*/src packages/*/src apps/dashboard/node_modules/.vite

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    MISSION_DATA_DIR=/data \
    MISSION_TRUST_PROXY=false
WORKDIR /app
RUN groupadd --system --gid 10001 mission \
 && useradd --system --uid 10001 --gid mission --home-dir /app --shell /usr/sbin/nologin mission \
 && mkdir -p /data && chown mission:mission /data
# Workspace packages are symlinked inside node_modules; COPY keeps the links.
COPY --from=build --chown=root:root /app /app
RUN ln -s /app/packages/cli/dist/bin.js /usr/local/bin/mission && chmod +x /app/packages/cli/dist/bin.js
USER mission
VOLUME ["/data"]
EXPOSE 4000
# Healthy while the database answers (503 otherwise); Redis or LISTEN trouble reports "degraded" but stays 200.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM finishes in-flight requests and closes the database (runServer handles it).
STOPSIGNAL SIGTERM
CMD ["node", "packages/cli/dist/bin.js", "serve"]
