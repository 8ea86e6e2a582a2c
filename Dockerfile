# syntax=docker/dockerfile:1
# Multi-stage build: compile in `build`, ship only the compiled output and production dependencies.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles from source against the image's own Node headers (no header download).
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
# The committed lockfile installs with `npm ci` (it lists the Linux platform packages of @swc/core,
# esbuild and jest's resolver), so the image gets exactly the locked versions.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts scripts
COPY src src
COPY migrations migrations
COPY explorer explorer
COPY console console
COPY schema schema
# tsc into dist/ (the app, its scripts and the migrations), the GraphiQL bundle into explorer/dist/,
# then drop the dev dependencies (the compiled better-sqlite3 stays).
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
WORKDIR /app
# Files stay owned by root: the non-root `node` user can read and run them, not change them.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/explorer/dist explorer/dist
COPY --from=build /app/console/dist console/dist
# `npm run migrate` works here too: the build script finds nothing to build and the compiled
# migrate command runs (the release step: node dist/src/scripts/migrate.js or release.js).
COPY --from=build /app/scripts scripts
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
