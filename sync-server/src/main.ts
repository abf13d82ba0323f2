// `npm start`: one process serves the built PWA and the API from one origin.
import path from 'node:path';
import { serve } from '@hono/node-server';
import { seedDemo } from '../../prisma/seed-demo.ts';
import { createApp } from './app.ts';
import { buildDeps } from './deps.ts';
import { loadEnv, shouldSeedDemo } from './env.ts';
import { initSentry } from './error-reports.ts';
import { mountStaticApp } from './http/static-app.ts';
import { startJobs } from './jobs.ts';

let env;
try {
  env = loadEnv();
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}

// Error reports (scrubbed of package data), only when SENTRY_DSN is set.
initSentry(env);

const deps = await buildDeps(env);
const app = createApp(deps);

const staticRoot = path.resolve(env.STATIC_DIR);
if (!(await mountStaticApp(app, staticRoot, env))) {
  console.warn(`No built app in ${staticRoot}; run \`npm run build\`. Serving the API only.`);
}

if (shouldSeedDemo(env, deps.db.embedded)) {
  const demo = await seedDemo(deps);
  if (demo) {
    console.log(`Demo organization ready. Sign in as ${demo.email} with password ${demo.password}`);
  }
}

const stopJobs = await startJobs(deps);

const server = serve({ fetch: app.fetch, hostname: env.HOST, port: env.PORT }, (info) => {
  const where = deps.db.embedded ? `embedded database in ${path.resolve(env.DATA_DIR)}` : 'DATABASE_URL';
  console.log(`PackageTrack Pro listening on port ${info.port}, serving ${env.PUBLIC_ORIGIN} (${where})`);
});

const shutdown = async () => {
  await stopJobs();
  server.close();
  await deps.db.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
