// `npm run build` (after the PWA): compiles the server to one ES module, dist/server/main.js, so
// `npm start` and production run plain Node with no TypeScript compiler. Our code (sync-server,
// the shared src/lib/domain, the generated Prisma client, the demo seed) is bundled; packages stay
// in node_modules and are imported at run time. Files read at run time (prisma/ migrations and
// schema, the built app) are found from the project root, not from the bundle's location.
import { build } from 'esbuild';

await build({
  entryPoints: { main: 'sync-server/src/main.ts' },
  outdir: 'dist/server',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
console.log('Wrote dist/server/main.js');
