// The photo retention job (docs/photo-retention.md) on one facility of 100,000 packages, each with
// an intake photo taken over the last 120 days (its photo_attached event, its stored blob), on the
// real Postgres (127.0.0.1:5432) with local-disk storage. Measures: the first pass (every photo
// older than 90 days goes: ~25,000), the hourly pass with nothing to do (the common case, repeated),
// and a day later (one day's photos go). Objects are not written (deleting a missing file is the
// same call); the figures are the database's work plus the storage calls.
//   npx tsx bench/photo-retention.ts [--packages 100000] [--runs 20]
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { expirePhotos } from '../sync-server/src/services/expire-photos.ts';
import { signUp, startTestApp } from '../tests/server/harness.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg('packages', 100_000);
const RUNS = arg('runs', 20);
const DAY = 24 * 3600 * 1000;
const SPREAD_DAYS = 120;

const t = await startTestApp();
try {
  const acct = await signUp(t);
  const f = acct.facilityId;
  const c = new pg.Client({ connectionString: t.databaseUrl! });
  c.on('error', () => {}); // the scratch database is dropped at the end
  await c.connect();
  const now = new Date();
  const seedStart = performance.now();
  // Photo g was taken g × (120 days / N) before now: packages, events, attachments, stored blobs.
  await c.query(
    `CREATE TEMP TABLE seed AS
       SELECT g, gen_random_uuid() AS pid, md5(g::text) || md5((g * 31)::text) AS hash,
              ($2::timestamptz AT TIME ZONE 'UTC') - make_interval(secs => g * $3::float8) AS at
         FROM generate_series(1, $1::int) g`,
    [N, now, (SPREAD_DAYS * 86400) / N],
  );
  await c.query(
    `INSERT INTO packages (id, "facilityId", "trackingNumber", carrier, "recipientName", status, "receivedAt", version, "createdAt")
     SELECT pid, $1, '1Z' || g, 'ups', 'Ada ' || g, 'received', at, 1, at FROM seed`,
    [f],
  );
  await c.query(
    `INSERT INTO package_events (id, "facilityId", "packageId", type, data, at, "recordedAt", version)
     SELECT gen_random_uuid(), $1, pid, 'photo_attached', jsonb_build_object('hash', hash, 'kind', 'intake'), at, at, 1 FROM seed`,
    [f],
  );
  await c.query(
    `INSERT INTO attachments (id, "facilityId", "packageId", hash, kind, version, "createdAt")
     SELECT gen_random_uuid(), $1, pid, hash, 'intake', 1, at FROM seed`,
    [f],
  );
  await c.query(
    `INSERT INTO stored_blobs ("facilityId", hash, "storageKey", "contentType", size, "createdAt")
     SELECT $1::uuid, hash, $1::text || '/' || hash || '.jpg', 'image/jpeg', 50000, at FROM seed`,
    [f],
  );
  await c.query('ANALYZE packages; ANALYZE package_events; ANALYZE attachments; ANALYZE stored_blobs');
  const seedMs = performance.now() - seedStart;

  const timed = async (at: Date) => {
    const s = performance.now();
    const r = await expirePhotos(t.deps, f, at);
    return { ms: performance.now() - s, ...r };
  };
  const first = await timed(now);
  const idle: number[] = [];
  for (let i = 0; i < RUNS; i++) idle.push((await timed(now)).ms);
  idle.sort((a, b) => a - b);
  const q = (p: number) => idle[Math.min(idle.length - 1, Math.floor(p * idle.length))]!;
  const nextDay = await timed(new Date(now.getTime() + DAY));
  await c.end();
  console.log(
    JSON.stringify({
      bench: 'photo-retention',
      packages: N,
      seedMs: Math.round(seedMs),
      firstPass: { expired: first.expired, objectsDeleted: first.objectsDeleted, ms: Math.round(first.ms) },
      idlePass: { runs: RUNS, p50: +q(0.5).toFixed(1), p95: +q(0.95).toFixed(1), max: +idle.at(-1)!.toFixed(1) },
      nextDay: { expired: nextDay.expired, objectsDeleted: nextDay.objectsDeleted, ms: Math.round(nextDay.ms) },
      load: os.loadavg().map((l) => +l.toFixed(1)),
    }),
  );
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await t.close();
}
