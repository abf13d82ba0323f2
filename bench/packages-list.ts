// The desk's packages table (GET /api/packages) over 100,000 packages of one facility on the real
// Postgres (127.0.0.1:5432): server time per query shape through the whole app (app.request), p50
// and p95 of repeated runs. Target: p95 ≤ 100 ms.
//   npx tsx bench/packages-list.ts [--packages 100000] [--runs 40]
// Prints JSON lines; bench/README.md records results.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { signUp, startTestApp } from '../tests/server/harness.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg('packages', 100_000);
const RUNS = arg('runs', 40);

const t = await startTestApp();
try {
  const acct = await signUp(t);
  const f = acct.facilityId;
  const c = new pg.Client({ connectionString: t.databaseUrl! });
  await c.connect();
  const seedStart = performance.now();
  // 2,000 recipients in 30 departments, 20 locations, then the packages in one INSERT … SELECT.
  await c.query(
    `INSERT INTO departments (id, "facilityId", name, version) SELECT gen_random_uuid(), $1, 'Dept ' || g, 1 FROM generate_series(1, 30) g`,
    [f],
  );
  await c.query(
    `INSERT INTO locations (id, "facilityId", name, version) SELECT gen_random_uuid(), $1, 'Shelf ' || g, 1 FROM generate_series(1, 20) g`,
    [f],
  );
  await c.query(
    `INSERT INTO recipients (id, "facilityId", name, "departmentId", version)
     SELECT gen_random_uuid(), $1,
            (ARRAY['Ada','Grace','Alan','Edsger','Barbara','Donald','Frances','John','Margaret','Ken'])[1 + g % 10] || ' ' ||
            (ARRAY['Lovelace','Hopper','Turing','Dijkstra','Liskov','Knuth','Allen','McCarthy','Hamilton','Thompson','Ritchie','Kay'])[1 + (g / 10) % 12] || '-' || g,
            (SELECT id FROM departments WHERE "facilityId" = $1 ORDER BY id OFFSET g % 30 LIMIT 1), 1
       FROM generate_series(1, 2000) g`,
    [f],
  );
  await c.query(
    `WITH r AS (SELECT id, name, row_number() OVER (ORDER BY id) - 1 AS n FROM recipients WHERE "facilityId" = $1),
          l AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM locations WHERE "facilityId" = $1)
     INSERT INTO packages (id, "facilityId", "trackingNumber", carrier, "recipientId", "recipientName", sender, notes, status,
                           "locationId", "receivedById", "receivedAt", version)
     SELECT gen_random_uuid(), $1, '1Z' || lpad((g * 7919 % 100000000)::text, 12, '0') || g, (ARRAY['ups','fedex','usps','dhl','amazon'])[1 + g % 5],
            r.id, r.name, CASE WHEN g % 7 = 0 THEN 'Vendor ' || (g % 300) END, CASE WHEN g % 11 = 0 THEN 'note ' || md5(g::text) END,
            (ARRAY['received','held','delivered','delivered','delivered','returned'])[1 + g % 6]::"PackageStatus",
            l.id, $2::uuid, (now() AT TIME ZONE 'UTC') - make_interval(mins => g * 5), 1
       FROM generate_series(1, $3::int) g
       JOIN r ON r.n = g % 2000
       JOIN l ON l.n = g % 20`,
    [f, acct.userId, N],
  );
  await c.query('ANALYZE packages; ANALYZE recipients');
  const seedMs = performance.now() - seedStart;
  const { rows } = await c.query<{ t: string }>(
    `SELECT "trackingNumber" AS t FROM packages WHERE "facilityId" = $1 ORDER BY "receivedAt" LIMIT 1 OFFSET 4321`,
    [f],
  );
  const digits = rows[0]!.t.slice(-6);
  if (process.argv.includes('--explain')) {
    // The plans of the search, as the app role inside the facility's scope.
    await c.query(`SET ROLE ptp_app`);
    await c.query(`SELECT set_config('app.facility_id', $1, false)`, [f]);
    for (const sql of [
      `SELECT count(*) FROM package_search_rows('%${digits}%')`,
      `SELECT p.id FROM package_search_rows('%lovel%') p WHERE p."facilityId" = '${f}' AND p."deletedAt" IS NULL ORDER BY p."receivedAt" DESC, p.id DESC LIMIT 51`,
      `SELECT p.status, count(*) FROM package_search_rows('%lovel%') p WHERE p."facilityId" = '${f}' AND p."deletedAt" IS NULL GROUP BY 1`,
      `SELECT p.status, count(*) FROM packages p WHERE p."facilityId" = '${f}' AND p."deletedAt" IS NULL GROUP BY 1`,
    ]) {
      const plan = await c.query(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`);
      console.log(`-- ${sql}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
    }
    await c.query('RESET ROLE');
  }
  await c.end();

  const day = (ms: number) => new Date(Date.now() - ms).toISOString().slice(0, 10);
  const get = async (q: string) => {
    const res = await acct.client.get(`/api/packages?${q}`);
    if (res.status !== 200) throw new Error(`${q} → ${res.status} ${res.text}`);
    return res.json as { items: unknown[]; nextCursor: string | null };
  };
  // A cursor 40 pages (2,000 rows) deep.
  let deep = '';
  for (let i = 0; i < 40; i++) deep = (await get(`limit=50${deep ? `&cursor=${deep}` : ''}`)).nextCursor!;
  const shapes: Record<string, string> = {
    'no filter': 'limit=50',
    'status tab (held)': 'status=held&limit=50',
    'carrier + date range': `carrier=fedex&from=${day(90 * 86_400_000)}&to=${day(30 * 86_400_000)}&limit=50`,
    'q by last digits': `q=${digits}&limit=50`,
    'q by partial name': 'q=lovel&limit=50',
    'q two words, sorted by name': 'q=grace%20hopp&sort=recipientName&limit=50',
    'deep cursor page (2,000 rows in)': `limit=50&cursor=${deep}`,
    'waiting > 7 days, by carrier': 'waitingDays=7&sort=carrier&limit=50',
  };
  for (const [shape, q] of Object.entries(shapes)) {
    await get(q); // warm
    const times: number[] = [];
    let items = 0;
    for (let i = 0; i < RUNS; i++) {
      const s = performance.now();
      items = (await get(q)).items.length;
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    const pct = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]! * 10) / 10;
    console.log(
      JSON.stringify({
        bench: 'packages-list',
        shape,
        packages: N,
        runs: RUNS,
        items,
        p50Ms: pct(50),
        p95Ms: pct(95),
        maxMs: pct(100),
        seedMs: Math.round(seedMs),
        load: os.loadavg()[0]!.toFixed(1),
      }),
    );
  }
} finally {
  await t.close();
}
