# essfed runs its TypeScript sources with Node's type stripping: no build step. It runs on the Node
# pinned in package.json (ADR 9), so development, CI and this image share one Node version, and the
# image carries neither a second Node nor npm.

# Dependencies, installed from the lockfile by npm (which only this stage has).
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# The pinned Node's C headers and man pages are for building addons; essfed builds none.
RUN npm install --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/node-linux-*/include node_modules/node-linux-*/share \
 && node_modules/.bin/node --version

FROM debian:bookworm-slim
# essfed runs as an unprivileged user with a fixed uid, which owns the data volume: Docker copies
# the ownership of /data below into a new named volume, so the embedded store can be created.
ARG ESSFED_UID=10001
RUN groupadd --system --gid "${ESSFED_UID}" essfed \
 && useradd --system --uid "${ESSFED_UID}" --gid essfed --home-dir /data --no-create-home --shell /usr/sbin/nologin essfed \
 && mkdir -p /data \
 && chown essfed:essfed /data \
 && chmod 0750 /data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY vocab ./vocab
RUN ln -s /app/bin/essfed.js /usr/local/bin/essfed
ENV PATH=/app/node_modules/.bin:$PATH \
    ESSFED_DATA=/data \
    PORT=8080
VOLUME ["/data"]
EXPOSE 8080
USER essfed:essfed
# Liveness: the web process answers /healthz on its port (no database, no work; /readyz is for
# orchestrators that route traffic). A worker-only container (ESSFED_ROLE=worker) listens on
# nothing; docker-compose.yml turns the check off for those.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 8080}/healthz`, { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/essfed.js", "serve"]
