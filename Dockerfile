# syntax=docker/dockerfile:1
# Shipgate's server image. The two RUN steps that call scripts/production-install.sh are the production
# install that test/e2e/production-install.test.ts runs for real on every CI run: that test reads
# them from this file, runs them, then starts the server with this file's CMD and probes it with this
# file's HEALTHCHECK. test/architecture/dockerfile.test.ts holds the rest of this file to its promises.
# No Docker engine runs where Shipgate is developed, so the image itself is not built in CI.
#
#   docker build -t shipgate .
#   docker run -p 3000:3000 -v shipgate-data:/data --env-file .env shipgate
ARG NODE_IMAGE=node:22-bookworm

# 1. Build: every dependency, compile TypeScript and generate the Prisma clients, pack.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN sh scripts/production-install.sh pack /pkg

# 2. Install: unpack and install the runtime dependencies only (better-sqlite3 is native, so this
#    stage keeps the full image's compilers in case no prebuilt binary can be downloaded).
FROM ${NODE_IMAGE} AS install
WORKDIR /src
COPY --from=build /pkg /pkg
COPY scripts/production-install.sh scripts/
RUN sh scripts/production-install.sh install /pkg /app

# 3. Run: the installed app on the slim image of the same Node and Debian, as the unprivileged `node`
#    user; the code is root's and read-only to it, the SQLite database lives on the /data volume.
FROM ${NODE_IMAGE}-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_URL=file:/data/shipgate.db
RUN mkdir -p /data && chown node:node /data
COPY --from=install /app /app
WORKDIR /app
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The server applies pending migrations at start (PostgreSQL too: set DATABASE_URL); `shipgate migrate`
# does only that, e.g. `docker run --rm -v shipgate-data:/data shipgate node bin/shipgate.js migrate`.
CMD ["node", "bin/shipgate.js", "serve"]
