// Push throughput for one facility on the real Postgres (127.0.0.1:5432), next to a raw multi-row
// SQL insert of the same rows measured in the same run.
//   npx tsx bench/push.ts [--mutations 20000] [--batch 500]
// Prints JSON lines; bench/README.md records results.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { SCHEMA_VERSION } from '../src/lib/domain/sync/protocol.ts';
import { TestClient, signUp, startTestApp } from '../tests/server/harness.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const TOTAL = arg('mutations', 20_000);
const BATCH = arg('batch', 500);

const t = await startTestApp();
try {
  const acct = await signUp(t);
  const client: TestClient = acct.client;

  async function run(batch: number, total: number) {
    const clientId = randomUUID();
    let id = 0;
    const started = performance.now();
    while (id < total) {
      const mutations = Array.from({ length: Math.min(batch, total - id) }, () => {
        id++;
        return {
          id,
          name: 'package.receive',
          args: {
            id: randomUUID(),
            trackingNumber: `1Z${id}BENCH`,
            carrier: 'ups',
            recipientName: 'Bench Recipient',
            receivedAt: new Date().toISOString(),
          },
          clientTime: new Date().toISOString(),
        };
      });
      const res = await client.post('/api/sync/push', {
        protocolVersion: 1,
        schemaVersion: SCHEMA_VERSION,
        facilityId: acct.facilityId,
        clientId,
        mutations,
      });
      if (res.status !== 200) throw new Error(`push → ${res.status} ${res.text}`);
    }
    return total / ((performance.now() - started) / 1000);
  }

  // The same rows (a package and its event each) inserted with plain multi-row SQL as the owner.
  async function raw(total: number, batch: number) {
    const c = new pg.Client({ connectionString: t.databaseUrl! });
    await c.connect();
    const started = performance.now();
    for (let done = 0; done < total; done += batch) {
      const n = Math.min(batch, total - done);
      const pk: unknown[] = [];
      const ev: unknown[] = [];
      const pv: string[] = [];
      const evv: string[] = [];
      for (let i = 0; i < n; i++) {
        const id = randomUUID();
        const b = pk.length;
        pk.push(id, acct.facilityId, `RAW${done + i}`, 'ups', 'Bench Recipient', new Date(), 1);
        pv.push(`($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},'received',$${b + 6},$${b + 7})`);
        const e = ev.length;
        ev.push(randomUUID(), acct.facilityId, id, 1);
        evv.push(`($${e + 1},$${e + 2},$${e + 3},'received','{}',now(),$${e + 4})`);
      }
      await c.query('BEGIN');
      await c.query(
        `INSERT INTO packages (id,"facilityId","trackingNumber",carrier,"recipientName",status,"receivedAt",version) VALUES ${pv.join(',')}`,
        pk,
      );
      await c.query(`INSERT INTO package_events (id,"facilityId","packageId",type,data,at,version) VALUES ${evv.join(',')}`, ev);
      await c.query('COMMIT');
    }
    const rate = total / ((performance.now() - started) / 1000);
    await c.end();
    return rate;
  }

  await run(BATCH, 1000); // warm-up
  const rawRate = await raw(TOTAL, BATCH);
  const pushRate = await run(BATCH, TOTAL);
  const singleRate = await run(1, Math.min(2000, TOTAL));
  const result = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
    mutations: TOTAL,
    batch: BATCH,
    pushPerSecond: Math.round(pushRate),
    rawInsertPerSecond: Math.round(rawRate),
    ratio: Number((pushRate / rawRate).toFixed(2)),
    onePerTransactionPerSecond: Math.round(singleRate),
  };
  console.log(JSON.stringify(result));
} finally {
  await t.close();
}
