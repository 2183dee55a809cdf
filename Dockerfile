# Clientela's server for production: `docker build -t clientela .`
# See docs/deployment.md for the environment, probes, scaling and upgrades.
# test/server/container.test.ts runs these steps (without Docker) on every test run.

# Build: every dependency, then the server compiled to plain JavaScript in dist/server.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npm run build:server

# Run: production dependencies and the compiled server only; no TypeScript, no dev tools.
FROM node:20-slim
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist/server ./dist/server
# The embedded database (used when DATABASE_URL is unset) lives here.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1 and handles SIGTERM: /readyz turns 503, requests drain, exit 0. Give `docker stop`
# more time than SHUTDOWN_GRACE_MS (compose.yaml: stop_grace_period), or it kills before the drain ends.
CMD ["node", "--enable-source-maps", "dist/server/main.js"]
