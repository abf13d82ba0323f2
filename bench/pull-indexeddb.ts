// First sync of a large facility into the browser, and the list screen's local queries over it.
//   npx tsx bench/pull-indexeddb.ts [--packages 50000] [--runs 60] [--opens 10] [--app DIR] [--port 4242]
//
// The real app in headless Chromium (Debian's, as the e2e tests use): the built PWA (`build/`,
// built with `npx vite build` when missing) and the API from one in-process server on a random
// port, on a fresh database on the real Postgres (127.0.0.1:5432). One facility gets N packages
// seeded with plain SQL as the owner (versions as pushes of 500 would give them, the facility's
// syncVersion bumped to match). The browser signs in (fetch from the login page), then opens
// /packages: the layout opens the sync engine, which pulls every page and applies the snapshot
// into IndexedDB in one transaction. The clock stops when the header shows the last sync time.
// Then a page of the same origin loads the app's own query code (src/lib/client/db/queries.ts,
// bundled with esbuild from bench/pull-indexeddb.page.ts) and times listPackages by status, by
// recipient-name prefix and by tracking-number suffix over those rows.
// Then it opens /packages again `--opens` times on the synced database and times the first screen
// (navigation → the first package row on screen).
// `--app DIR` serves another checkout's build and query code (DIR/build, DIR/bench/…page.ts), to
// measure a before and an after in the same run; the server is always this one.
// Prints JSON lines; bench/README.md records results. Targets: first sync ≤ 10 s, each query p95
// ≤ 30 ms, the list's first screen ≤ 100 ms.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../tests/chromium.ts';
import type { QueryCase, QueryResult } from './pull-indexeddb.page.ts';
import { repoRoot, signUp, startServedApp } from './served-app.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const PACKAGES = arg('packages', 50_000);
const RUNS = arg('runs', 60);
// The app's origin must be the server's own (state-changing requests from another are refused).
const PORT = arg('port', 4242);
const OPENS = arg('opens', 10);
const WARMUP = 5;
const LIMIT = 50; // the packages screen's first screen

const appArg = process.argv.indexOf('--app');
const appRoot = appArg > 0 ? path.resolve(process.argv[appArg + 1]!) : repoRoot;
const machine = `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
const line = (o: Record<string, unknown>) => console.log(JSON.stringify({ date: new Date().toISOString(), machine, ...o }));

// ---- the app -------------------------------------------------------------------------------------
const pageBundle = (
  await build({
    entryPoints: [path.join(appRoot, 'bench/pull-indexeddb.page.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'error',
  })
).outputFiles[0]!.text;

// Server-side time and bytes of every pull page, to tell the server's share from the browser's.
const pulls: { ms: number; bytes: number }[] = [];
// The query page lives under /api/, which the service worker leaves to the network (its navigation
// fallback would otherwise answer with the app shell).
const benchHtml = '<!doctype html><meta charset="utf-8"><title>query bench</title><script src="/api/bench/queries.js"></script>';
const handle =
  (app: { fetch: (req: Request) => Response | Promise<Response> }) =>
  async (req: Request): Promise<Response> => {
    const { pathname } = new URL(req.url);
    if (pathname === '/api/bench/queries.html') return new Response(benchHtml, { headers: { 'content-type': 'text/html' } });
    if (pathname === '/api/bench/queries.js') return new Response(pageBundle, { headers: { 'content-type': 'text/javascript' } });
    if (pathname !== '/api/sync/pull') return app.fetch(req);
    const started = performance.now();
    const res = await app.fetch(req);
    const body = await res.arrayBuffer();
    pulls.push({ ms: performance.now() - started, bytes: body.byteLength });
    return new Response(body, res);
  };
const served = await startServedApp({ appRoot, port: PORT, handle });
const { base } = served;

const browser = await chromium.launch(chromiumLaunchOptions);

try {
  // ---- an account and its facility, then the packages ---------------------------------------------
  const { account, me } = await signUp(base);
  const facilityId = me.activeFacilityId;

  const seedStarted = performance.now();
  const seeded = await seed(facilityId, PACKAGES);
  const seedMs = performance.now() - seedStarted;

  // ---- the first sync in the browser ---------------------------------------------------------------
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto('/login');
  const login = await page.evaluate(
    async ({ email, password }) => {
      const r = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      return r.status;
    },
    { email: account.email, password: account.password },
  );
  if (login !== 200) throw new Error(`sign-in from the page → ${login}`);

  // Timestamps (ms since the navigation started) of what the header's sync badge shows.
  // (A string, not a function: tsx's transform would wrap named functions in a helper the page lacks.)
  await page.addInitScript(`{
    const marks = (globalThis.__ptpMarks = {});
    const mark = (k) => (marks[k] ??= performance.now());
    const check = () => {
      const badge = document.querySelector('[data-testid="sync-status"]');
      if (!badge) return;
      if (badge.getAttribute('data-state') !== 'none') mark('engineOpen');
      const text = badge.textContent ?? '';
      if (text.includes('Downloading')) {
        mark('firstPage');
        marks.lastPage = performance.now();
      } else if (marks.firstPage !== undefined) mark('downloadDone');
      if (/Last sync:/.test(text) && !/Last sync:\\s*never/.test(text)) mark('synced');
      if (document.querySelector('[data-testid="package-row"]')) mark('firstRows');
      if (marks.synced !== undefined && document.querySelector('[data-testid="package-row"]')) mark('listShown');
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  }`);
  pulls.length = 0;
  const wallStarted = performance.now();
  await page.goto('/packages');
  await page.waitForFunction(
    () => (globalThis as unknown as { __ptpMarks: Record<string, number> }).__ptpMarks.listShown !== undefined,
    null,
    {
      timeout: 180_000,
      polling: 50,
    },
  );
  const wallMs = performance.now() - wallStarted;
  const marks = await page.evaluate(() => (globalThis as unknown as { __ptpMarks: Record<string, number> }).__ptpMarks);
  const stored = await page.evaluate(
    (name) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const count = db.transaction('packages').objectStore('packages').count();
          count.onsuccess = () => {
            resolve(count.result);
            db.close();
          };
          count.onerror = () => reject(count.error);
        };
      }),
    `ptp-${facilityId}`,
  );
  if (stored !== PACKAGES) throw new Error(`IndexedDB holds ${stored} packages, expected ${PACKAGES}`);
  const r = (v: number | undefined) => (v === undefined ? null : Math.round(v));
  line({
    bench: 'pull-indexeddb',
    packages: PACKAGES,
    seedMs: Math.round(seedMs),
    // Navigation to /packages → the header shows the last sync time (the snapshot is in IndexedDB).
    firstSyncMs: r(marks.synced),
    // Navigation → the first package rows on screen (a first sync shows its first pages at once).
    firstRowsMs: r(marks.firstRows),
    wallMs: Math.round(wallMs),
    phases: {
      engineOpenAt: r(marks.engineOpen),
      lastPageAt: r(marks.lastPage),
      appliedAt: r(marks.synced),
      listShownAt: r(marks.listShown),
      // From the engine opening to the last page received; then the one IndexedDB transaction.
      downloadMs: r(marks.lastPage !== undefined && marks.engineOpen !== undefined ? marks.lastPage - marks.engineOpen : undefined),
      applyMs: r(marks.synced !== undefined && marks.lastPage !== undefined ? marks.synced - marks.lastPage : undefined),
    },
    pullRequests: pulls.length,
    serverPullMs: Math.round(pulls.reduce((s, p) => s + p.ms, 0)),
    // The first page sorts every row of the facility; the last only what is left (see README).
    serverPageMs: { first: Math.round(pulls[0]?.ms ?? 0), last: Math.round(pulls[pulls.length - 1]?.ms ?? 0) },
    pullBytes: pulls.reduce((s, p) => s + p.bytes, 0),
    storedPackages: stored,
    target: { firstSyncMs: 10_000 },
  });

  // ---- the list's first screen on the synced database ------------------------------------------------
  // (a) In the app, as an operator opens it: from a click on "Packages" in the navigation (home
  // open, the engine running) to the first row on screen. (b) A cold open: a full page load of
  // /packages (app start, session, engine, query) to the first row.
  const inApp: number[] = [];
  const cold: number[] = [];
  for (let i = 0; i < OPENS + 2; i++) {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Packages' }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="sync-status"]')?.getAttribute('data-state') !== 'none');
    // (A string, not a function: tsx's transform would wrap named functions in a helper the page lacks.)
    const ms = (await page.evaluate(`new Promise((resolve) => {
      const link = [...document.querySelectorAll('nav a')].find((a) => a.textContent.trim() === 'Packages');
      const started = performance.now();
      const mo = new MutationObserver(() => {
        if (!document.querySelector('[data-testid="package-row"]')) return;
        mo.disconnect();
        resolve(performance.now() - started);
      });
      mo.observe(document.body, { subtree: true, childList: true });
      link.click();
    })`)) as number;
    if (i >= 2) inApp.push(ms); // two warm-ups (service worker, caches)
    await page.goto('/packages');
    await page.waitForFunction(
      () => (globalThis as unknown as { __ptpMarks: Record<string, number> }).__ptpMarks.firstRows !== undefined,
      null,
      { timeout: 60_000, polling: 10 },
    );
    const at = await page.evaluate(() => (globalThis as unknown as { __ptpMarks: Record<string, number> }).__ptpMarks.firstRows!);
    if (i >= 2) cold.push(at);
  }
  const stats = (v: number[]) => {
    const sorted = [...v].sort((a, b) => a - b);
    const pct = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
    return { median: pct(0.5), p95: pct(0.95), min: Math.round(sorted[0]!) };
  };
  line({ bench: 'packages-first-screen', open: 'in-app', packages: PACKAGES, opens: inApp.length, ...stats(inApp), target: { p95: 100 } });
  line({ bench: 'packages-first-screen', open: 'page-load', packages: PACKAGES, opens: cold.length, ...stats(cold) });
  await page.close(); // stops the engine: the queries below run alone

  // ---- local queries over the synced rows ----------------------------------------------------------
  const qpage = await context.newPage();
  qpage.on('pageerror', (e) => console.error('[page error]', e.message));
  await qpage.goto('/api/bench/queries.html');
  const cases: QueryCase[] = [
    { name: 'status', filters: (['received', 'held', 'delivered', 'returned'] as const).map((status) => ({ status, limit: LIMIT })) },
    { name: 'recipient-prefix', filters: seeded.prefixes.map((search) => ({ search, limit: LIMIT })) },
    { name: 'last-name', filters: seeded.lastNames.map((search) => ({ search, limit: LIMIT })) },
    { name: 'tracking-suffix', filters: seeded.suffixes.map((search) => ({ search, limit: LIMIT })) },
    { name: 'tracking-prefix', filters: seeded.trackingPrefixes.map((search) => ({ search, limit: LIMIT })) },
    { name: 'tracking-middle', filters: seeded.middles.map((search) => ({ search, limit: LIMIT })) },
    { name: 'status+recipient-prefix', filters: seeded.prefixes.map((search) => ({ search, status: 'received' as const, limit: LIMIT })) },
  ];
  const q = await qpage.evaluate(
    ({ facilityId, cases, runs, warmup }) =>
      (
        globalThis as unknown as {
          ptpQueryBench: (f: string, c: QueryCase[], r: number, w: number) => Promise<{ count: number; results: QueryResult[] }>;
        }
      ).ptpQueryBench(facilityId, cases, runs, warmup),
    { facilityId, cases, runs: RUNS, warmup: WARMUP },
  );
  for (const res of q.results) line({ bench: 'local-query', packages: q.count, limit: LIMIT, ...res, target: { p95: 30 } });
  await context.close();
} finally {
  await browser.close();
  await served.close();
}

/**
 * N packages in one statement (unnest of arrays) as the owner: realistic names, carriers and
 * tracking-number formats, a status mix, receipt times over the last 90 days; versions as pushes
 * of 500 would have given them. Returns search terms that exist in the data.
 */
async function seed(facilityId: string, n: number) {
  const first = ['Maria', 'James', 'Mohammed', 'Olivia', 'Chen', 'Sofia', 'Liam', 'Amara', 'Noah', 'Priya', 'Lucas', 'Emma', 'Mateo', 'Aisha',
    'Ethan', 'Yuki', 'Daniel', 'Fatima', 'Jonas', 'Grace', 'Carlos', 'Hannah', 'Ivan', 'Leila', 'Marco', 'Nadia', 'Oscar', 'Rosa', 'Samuel',
    'Tara', 'Victor', 'Wen', 'Zoe', 'Adam', 'Beatriz', 'Connor', 'Dmitri', 'Elena', 'Felix', 'Gabriel', 'Helen', 'Isaac', 'Julia', 'Kofi',
    'Laura', 'Martin', 'Nina', 'Omar', 'Paula', 'Rafael']; // prettier-ignore
  const last = ['Garcia', 'Smith', 'Nguyen', 'Okafor', 'Müller', 'Rossi', 'Kowalski', 'Tanaka', 'Silva', 'Haddad', 'Johansson', 'Patel',
    'Brown', 'Dubois', 'Ivanova', 'Kim', 'Lopez', 'Mensah', "O'Brien", 'Schmidt', 'Cohen', 'Fernandes', 'Hughes', 'Jensen', 'Larsen',
    'Moreau', 'Novak', 'Park', 'Quinn', 'Reyes']; // prettier-ignore
  let s = 0x9e3779b9;
  const rand = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
  const digits = (k: number) => Array.from({ length: k }, () => Math.floor(rand() * 10)).join('');
  const alnum = (k: number) => Array.from({ length: k }, () => '0123456789ABCDEFGHJKLMNPRSTUVWXYZ'[Math.floor(rand() * 33)]).join('');
  const c = new pg.Client({ connectionString: served.databaseUrl });
  await c.connect();
  try {
    await c.query('BEGIN');
    const v0 = (await c.query<{ v: number }>('SELECT "syncVersion" AS v FROM facilities WHERE id = $1 FOR UPDATE', [facilityId])).rows[0]!
      .v;
    const cols = { id: [] as string[], tracking: [] as string[], carrier: [] as string[], name: [] as string[], status: [] as string[] };
    const received: string[] = [];
    const delivered: (string | null)[] = [];
    const versions: number[] = [];
    const now = Date.now();
    for (let i = 0; i < n; i++) {
      const carrier = pick(['ups', 'fedex', 'usps', 'amazon', 'dhl'] as const);
      const tracking = {
        ups: () => `1Z${alnum(6)}${digits(10)}`,
        fedex: () => digits(12),
        usps: () => `9400${digits(18)}`,
        amazon: () => `TBA${digits(12)}`,
        dhl: () => digits(10),
      }[carrier]();
      const age = rand() * 90 * 86_400_000;
      const x = rand();
      const status =
        age < 3 * 86_400_000
          ? x < 0.8
            ? 'received'
            : 'held'
          : x < 0.85
            ? 'delivered'
            : x < 0.9
              ? 'returned'
              : x < 0.95
                ? 'held'
                : 'received';
      cols.id.push(randomUUID());
      cols.tracking.push(tracking);
      cols.carrier.push(carrier);
      cols.name.push(`${pick(first)} ${pick(last)}`);
      cols.status.push(status);
      received.push(new Date(now - age).toISOString());
      delivered.push(status === 'delivered' ? new Date(now - age + 3_600_000).toISOString() : null);
      versions.push(v0 + 1 + Math.floor(i / 500));
    }
    await c.query(
      `INSERT INTO packages (id, "facilityId", "trackingNumber", carrier, "recipientName", status, "receivedAt", "deliveredAt", version)
       SELECT id, $1, t, ca, rn, st::"PackageStatus", ra, da, v
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::int[])
         AS x(id, t, ca, rn, st, ra, da, v)`,
      [facilityId, cols.id, cols.tracking, cols.carrier, cols.name, cols.status, received, delivered, versions],
    );
    await c.query('UPDATE facilities SET "syncVersion" = $2 WHERE id = $1', [facilityId, versions[versions.length - 1] ?? v0]);
    await c.query('COMMIT');
    // Search terms people type: 2-4 letters of a first name; the last 4 characters of a label.
    const prefixes = first.slice(0, 20).map((f, i) => f.slice(0, 2 + (i % 3)).toLowerCase());
    const suffixes = Array.from({ length: 20 }, (_, i) => cols.tracking[(i * 7919) % n]!.slice(-4));
    // A second word of a name; the first 8 characters of a label; 6 characters from its middle.
    const lastNames = last.slice(0, 20).map((l) => l.toLowerCase());
    const trackingPrefixes = Array.from({ length: 20 }, (_, i) => cols.tracking[(i * 4801) % n]!.slice(0, 8));
    const middles = Array.from({ length: 20 }, (_, i) => {
      const t = cols.tracking[(i * 6007) % n]!;
      const at = Math.floor(t.length / 2) - 3;
      return t.slice(at, at + 6);
    });
    return { prefixes, suffixes, lastNames, trackingPrefixes, middles };
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    await c.end();
  }
}
