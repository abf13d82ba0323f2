// The package history export (GET /api/exports/packages.csv) over 10,000 and 100,000 packages,
// streamed through the real route (in-process app.request, real Postgres) and read chunk by chunk
// as a browser would. Measures the time to the first byte and to the end, and the process's peak
// RSS above its level before the export (sampled every 20 ms): streaming from a cursor means the
// peak does not grow with the number of packages.
//   node --expose-gc --import tsx bench/export.ts [--sizes 10000,100000]
// Prints one JSON line per size; bench/README.md records results.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { asOwner, signUp, startTestApp } from '../tests/server/harness.ts';

const i = process.argv.indexOf('--sizes');
const SIZES = (i > 0 ? process.argv[i + 1]! : '10000,100000').split(',').map(Number);
const machine = `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}`;
const gc = (globalThis as { gc?: () => void }).gc;

const t = await startTestApp();
try {
  for (const n of SIZES) {
    const acct = await signUp(t);
    const f = acct.facilityId;
    let seeded = performance.now();
    // Packages spread over 2026 with the fields an export carries, each with two events (received,
    // then delivered or held) and every fifth with a photo, as the history of a busy mailroom.
    await asOwner(t, async (c) => {
      await c.query(
        `INSERT INTO packages (id, "facilityId", "trackingNumber", carrier, "recipientName", sender, notes, status, "receivedAt",
                               "deliveredAt", "deliveredTo", "holdNote", shelf, "receivedById", version)
         SELECT gen_random_uuid(), $1::uuid, '1Z' || lpad(g::text, 16, '0'), 'ups', 'Recipient ' || (g % 5000), 'Sender, Inc. ' || (g % 300),
                CASE WHEN g % 7 = 0 THEN '=SUM(A1) "fragile"' END,
                (CASE WHEN g % 3 = 0 THEN 'held' ELSE 'delivered' END)::"PackageStatus",
                timestamp '2026-01-01' + (g * interval '5 minutes') / ($2::int / 100000.0),
                CASE WHEN g % 3 <> 0 THEN timestamp '2026-01-01 06:00' + (g * interval '5 minutes') / ($2::int / 100000.0) END,
                CASE WHEN g % 3 <> 0 THEN 'Front desk' END,
                CASE WHEN g % 3 = 0 THEN 'Signature needed' END, 'A' || (g % 40), $3::uuid, 1
           FROM generate_series(1, $2::int) g`,
        [f, n, acct.userId],
      );
      await c.query(
        `INSERT INTO package_events (id, "facilityId", "packageId", type, data, "actorId", at, "recordedAt", version)
         SELECT gen_random_uuid(), p."facilityId", p.id, e.type, '{}'::jsonb, $2::uuid, p."receivedAt" + e.after, p."receivedAt" + e.after, 1
           FROM packages p CROSS JOIN (VALUES ('received', interval '0'), ('delivered', interval '6 hours')) e(type, after)
          WHERE p."facilityId" = $1::uuid`,
        [f, acct.userId],
      );
      await c.query(
        `INSERT INTO attachments (id, "facilityId", "packageId", hash, kind, version)
         SELECT gen_random_uuid(), p."facilityId", p.id, encode(sha256(p.id::text::bytea), 'hex'), 'intake', 1
           FROM packages p WHERE p."facilityId" = $1::uuid AND (p."trackingNumber" LIKE '%0' OR p."trackingNumber" LIKE '%5')`,
        [f],
      );
      await c.query('ANALYZE packages; ANALYZE package_events; ANALYZE attachments');
    });
    seeded = performance.now() - seeded;

    gc?.();
    await new Promise((r) => setTimeout(r, 200));
    const base = process.memoryUsage();
    let peak = base.rss;
    let peakHeap = base.heapUsed;
    const sample = () => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    const sampler = setInterval(sample, 20);
    const cookie = [...acct.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const start = performance.now();
    const res = await t.app.request('http://localhost/api/exports/packages.csv?from=2026-01-01&to=2026-12-31', { headers: { cookie } });
    if (res.status !== 200) throw new Error(`export answered ${res.status}: ${await res.text()}`);
    const reader = res.body!.getReader();
    let bytes = 0;
    let lines = 0;
    let firstByteMs = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!bytes) firstByteMs = performance.now() - start;
      bytes += value.byteLength;
      for (let k = 0; k < value.length; k++) if (value[k] === 10) lines++;
    }
    const totalMs = performance.now() - start;
    clearInterval(sampler);
    sample();
    if (res.headers.get('x-total-rows') !== String(n)) throw new Error(`X-Total-Rows ${res.headers.get('x-total-rows')} ≠ ${n}`);
    console.log(
      JSON.stringify({
        bench: 'export',
        packages: n,
        seedS: +(seeded / 1000).toFixed(1),
        firstByteMs: Math.round(firstByteMs),
        totalS: +(totalMs / 1000).toFixed(2),
        packagesPerS: Math.round(n / (totalMs / 1000)),
        mb: +(bytes / 1e6).toFixed(1),
        lines,
        baseRssMb: Math.round(base.rss / 1e6),
        peakRssMb: Math.round(peak / 1e6),
        peakAboveBaseMb: Math.round((peak - base.rss) / 1e6),
        baseHeapMb: Math.round(base.heapUsed / 1e6),
        peakHeapMb: Math.round(peakHeap / 1e6),
        machine,
      }),
    );
  }
} finally {
  await t.close();
}
