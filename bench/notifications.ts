// Notification latency: from the push that commits 1,000 received packages (1,000 recipients, one
// push) to the last email reaching a local Resend-compatible server, through the whole pipeline as
// `npm start` runs it (outbox rows in the push's transaction, the push waking the pg-boss queue,
// MJML-rendered email through the real Resend SDK). Per message: the time from the push's commit
// (its response) to the email's arrival.
//   npx tsx bench/notifications.ts [--packages 1000]      (TEST_DB=pglite: the embedded database)
// Prints one JSON line; bench/README.md records results.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { SCHEMA_VERSION } from '../src/lib/domain/sync/protocol.ts';
import { startJobs } from '../sync-server/src/jobs.ts';
import { startFakeResend } from '../tests/server/fake-resend.ts';
import { signUp, startTestApp, usingPglite } from '../tests/server/harness.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg('packages', 1000);

const fake = await startFakeResend();
const t = await startTestApp({
  RESEND_API_KEY: 're_bench',
  RESEND_BASE_URL: fake.url,
  NOTIFY_BATCH_WINDOW_SECONDS: '0',
});
try {
  const acct = await signUp(t);
  const clientId = randomUUID();
  let mutationId = 0;
  const push = async (mutations: { name: string; args: unknown }[]) => {
    const res = await acct.client.post('/api/sync/push', {
      protocolVersion: 1,
      schemaVersion: SCHEMA_VERSION,
      facilityId: acct.facilityId,
      clientId,
      mutations: mutations.map((m) => ({ id: ++mutationId, ...m, clientTime: new Date().toISOString() })),
    });
    if (res.status !== 200) throw new Error(`push → ${res.status} ${res.text}`);
  };
  const recipients = Array.from({ length: N }, (_, i) => ({
    id: randomUUID(),
    name: `Bench Person ${i}`,
    email: `bench-${i}@example.test`,
  }));
  for (let i = 0; i < N; i += 500) await push(recipients.slice(i, i + 500).map((args) => ({ name: 'recipient.upsert', args })));

  const stop = await startJobs(t.deps);
  const done = new Promise<void>((resolve) => {
    fake.onDelivered = () => fake.delivered.length >= N && resolve();
  });
  const started = performance.now();
  await push(
    recipients.map((r, i) => ({
      name: 'package.receive',
      args: {
        id: randomUUID(),
        trackingNumber: `1ZBENCH${i}`,
        carrier: 'ups',
        recipientId: r.id,
        recipientName: r.name,
        receivedAt: new Date().toISOString(),
      },
    })),
  );
  const committed = performance.now();
  await done;
  const latencies = fake.delivered.map((e) => e.at - committed).sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
  const last = latencies[latencies.length - 1]!;
  await stop();
  console.log(
    JSON.stringify({
      bench: 'notifications',
      database: usingPglite ? 'pglite' : 'postgres',
      packages: N,
      emails: fake.delivered.length,
      duplicateRequests: fake.requests.length - fake.delivered.length,
      pushMs: Math.round(committed - started),
      firstMs: Math.round(latencies[0]!),
      p50Ms: Math.round(pct(50)),
      p95Ms: Math.round(pct(95)),
      lastMs: Math.round(last),
      messagesPerSecond: Math.round((N / last) * 1000),
      cpus: os.cpus().length,
      load: os.loadavg()[0]!.toFixed(1),
    }),
  );
} finally {
  await t.close();
  await fake.close();
}
