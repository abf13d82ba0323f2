// The intake screen's JavaScript, gzipped: what a tablet downloads to open /packages/receive.
//   npx tsx bench/intake-bundle.ts
//
// Reads the build (`npx vite build` when missing): SvelteKit's server manifest names the route's
// nodes (its layouts and page), Vite's client manifest gives each node's chunk and the chunks it
// imports statically; the set is those plus the client entry (start + app). Dynamic imports are
// not followed: they load later, on demand (the camera's barcode reader among them). Each file is
// gzipped on its own (level 9, as a static server would precompress) and the sizes added up. The
// camera's on-demand part (the polyfill chunk and the ZXing wasm) is measured apart, and the run
// fails if any of it is in the route's set.
// Prints one JSON line; bench/README.md records results. Target: ≤ 150 KB gzip.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROUTE = '/(app)/packages/receive';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, '.svelte-kit/output');
const clientDir = path.join(out, 'client');

if (!existsSync(path.join(clientDir, '.vite/manifest.json')) || !existsSync(path.join(out, 'server/manifest.js'))) {
  console.error('build output missing: running `npx vite build`');
  const r = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('vite build failed');
}

interface Chunk {
  file: string;
  src?: string;
  imports?: string[];
  dynamicImports?: string[];
  assets?: string[];
}
const manifest = JSON.parse(readFileSync(path.join(clientDir, '.vite/manifest.json'), 'utf8')) as Record<string, Chunk>;

// The route's nodes, from the server manifest: { id: "/(app)/packages/receive", …, page: { layouts: [0,2,], errors: […], leaf: 9 } }.
const serverManifest = readFileSync(path.join(out, 'server/manifest.js'), 'utf8');
const at = serverManifest.indexOf(`id: ${JSON.stringify(ROUTE)}`);
if (at < 0) throw new Error(`route ${ROUTE} not in the server manifest`);
const page = /page: \{ layouts: \[([^\]]*)\], errors: \[[^\]]*\], leaf: (\d+) \}/.exec(serverManifest.slice(at));
if (!page) throw new Error(`no page nodes for ${ROUTE}`);
const nodes = [
  ...page[1]!
    .split(',')
    .filter((n) => n.trim())
    .map(Number),
  Number(page[2]),
];

const entries = Object.entries(manifest).filter(
  ([key]) => key === '.svelte-kit/generated/client-optimized/app.js' || key.endsWith('@sveltejs/kit/src/runtime/client/entry.js'),
);
const roots = [...entries.map(([k]) => k), ...nodes.map((n) => `.svelte-kit/generated/client-optimized/nodes/${n}.js`)];

const files = new Set<string>();
const visit = (key: string) => {
  const chunk = manifest[key];
  if (!chunk) throw new Error(`${key} not in the client manifest`);
  if (files.has(chunk.file)) return;
  files.add(chunk.file);
  for (const i of chunk.imports ?? []) visit(i);
};
roots.forEach(visit);

const gz = (file: string) => {
  const bytes = readFileSync(path.join(clientDir, file));
  return { raw: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength };
};
const sizes = [...files].map((f) => ({ file: f, ...gz(f) })).sort((a, b) => b.gzip - a.gzip);
const total = sizes.reduce((s, f) => ({ raw: s.raw + f.raw, gzip: s.gzip + f.gzip }), { raw: 0, gzip: 0 });

// The camera's part, loaded when it opens.
const polyfill = Object.values(manifest).find((c) => c.src === 'src/lib/client/scan/barcode-polyfill.ts');
const cameraFiles = polyfill ? [polyfill.file, ...(polyfill.imports ?? []).map((i) => manifest[i]!.file), ...(polyfill.assets ?? [])] : [];
const inRoute = cameraFiles.filter((f) => files.has(f));
if (inRoute.length) throw new Error(`the camera's reader is in the route's initial JavaScript: ${inRoute.join(', ')}`);
const camera = cameraFiles.map((f) => ({ file: f, ...gz(f) }));

const kb = (n: number) => Math.round(n / 102.4) / 10;
console.log(
  JSON.stringify({
    date: new Date().toISOString(),
    machine: `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
    bench: 'intake-bundle',
    route: ROUTE,
    nodes,
    files: sizes.length,
    rawKB: kb(total.raw),
    gzipKB: kb(total.gzip),
    largest: sizes.slice(0, 5).map((f) => `${f.file} ${kb(f.gzip)} KB`),
    cameraOnDemand: camera.map((f) => `${f.file} ${kb(f.gzip)} KB gzip (${kb(f.raw)} KB)`),
    target: 'gzipKB ≤ 150',
  }),
);
