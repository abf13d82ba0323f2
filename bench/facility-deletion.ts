// Deleting a lapsed facility (services/delete-facility.ts) with a busy year of history: N packages
// with two custody events each, a photo row on every fifth, and M objects in local-disk storage.
// Times each step — objects, rows (one owner transaction, the custody trigger checking every event),
// the final sweep — through the real job code on real Postgres, billing on.
//   npx tsx bench/facility-deletion.ts [--sizes 10000,100000] [--objects 2000]
// Prints one JSON line per size; bench/README.md records results.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { deleteFacility } from '../sync-server/src/services/delete-facility.ts';
import { asOwner, BILLING_ON, signUp, startTestApp } from '../tests/server/harness.ts';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const SIZES = arg('sizes', '10000,100000').split(',').map(Number);
const OBJECTS = Number(arg('objects', '2000'));
const machine = `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}`;

const t = await startTestApp(BILLING_ON);
try {
  for (const n of SIZES) {
    const acct = await signUp(t);
    const f = acct.facilityId;
    await asOwner(t, async (c) => {
      await c.query(
        `INSERT INTO packages (id, "facilityId", "trackingNumber", carrier, "recipientName", status, "receivedAt", version)
         SELECT gen_random_uuid(), $1::uuid, '1Z' || lpad(g::text, 16, '0'), 'ups', 'Recipient ' || (g % 5000),
                'delivered'::"PackageStatus", timestamp '2026-01-01' + g * interval '5 minutes', 1
           FROM generate_series(1, $2::int) g`,
        [f, n],
      );
      await c.query(
        `INSERT INTO package_events (id, "facilityId", "packageId", type, data, "actorId", at, version)
         SELECT gen_random_uuid(), p."facilityId", p.id, e.type, '{}'::jsonb, $2::uuid, p."receivedAt", 1
           FROM packages p CROSS JOIN (VALUES ('received'), ('delivered')) e(type) WHERE p."facilityId" = $1::uuid`,
        [f, acct.userId],
      );
      await c.query(
        `INSERT INTO attachments (id, "facilityId", "packageId", hash, kind, version)
         SELECT gen_random_uuid(), p."facilityId", p.id, encode(sha256(p.id::text::bytea), 'hex'), 'intake', 1
           FROM packages p WHERE p."facilityId" = $1::uuid AND p."trackingNumber" ~ '[05]$'`,
        [f],
      );
      await c.query(`UPDATE subscriptions SET "trialEndsAt" = now() - interval '41 days' WHERE "facilityId" = $1`, [f]);
    });
    const bytes = Buffer.alloc(40_000, 7);
    for (let i = 0; i < OBJECTS; i++) await t.deps.blobs.put(`${f}/${i.toString(16).padStart(64, '0')}.jpg`, bytes, 'image/jpeg');

    const organizationId = await asOwner(t, (c) =>
      c.query<{ o: string }>(`SELECT "organizationId" AS o FROM facilities WHERE id = $1`, [f]).then((r) => r.rows[0]!.o),
    );
    const marks: Record<string, number> = {};
    const t0 = performance.now();
    const rec = await deleteFacility(t.deps, { facilityId: f, organizationId, reason: 'trial_ended' }, new Date(), {
      async pause(at) {
        marks[at] = performance.now() - t0;
      },
    });
    const total = performance.now() - t0;
    console.log(
      JSON.stringify({
        machine,
        packages: n,
        events: 2 * n,
        objects: OBJECTS,
        objectsMs: Math.round(marks.objects_deleted ?? 0),
        rowsMs: Math.round((marks.rows_deleted ?? 0) - (marks.objects_deleted ?? 0)),
        totalMs: Math.round(total),
        counts: rec?.counts,
      }),
    );
  }
} finally {
  await t.close();
}
