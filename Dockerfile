# PackageTrack Pro: the built PWA and the compiled server in one image (docs/deploy.md).
# docker build -t packagetrack-pro . && docker run -p 3000:3000 --env-file .env packagetrack-pro

FROM node:20-slim AS build
WORKDIR /app
# @sentry/cli (a build-time dependency of @sentry/sveltekit) would download a binary we never run.
ENV SENTRYCLI_SKIP_DOWNLOAD=1
# Dependencies first, so this layer is rebuilt only when the lockfile changes. npm ci's postinstall
# generates the Prisma client from prisma/schema.prisma (scripts/prisma-generate.mjs).
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts ./scripts
RUN npm ci
COPY . .
# build/ (the PWA) and dist/server/main.js (the server); then only runtime dependencies remain.
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/build ./build
# Read at run time: migrations and schema (applied at start), and the sources of the maintenance
# CLIs (`npm run db:migrate`, `npm run db:new-epoch`, which run on tsx).
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/sync-server ./sync-server
COPY --from=build /app/src/lib/domain ./src/lib/domain
# Local photo storage when S3_* is unset (mount a volume here, or configure S3/R2).
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/server/main.js"]
