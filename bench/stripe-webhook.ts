// The Stripe webhook's cost per event (bench/README.md): the signature check, the event-id
// record, the re-read of the subscription from Stripe (a local fake on 127.0.0.1, so network
// latency is left out) and the row-locked write. Sequential events of many facilities, then bursts
// of concurrent events of one facility (the lock and the stale-read re-read path). After the
// bursts every facility must hold Stripe's final state.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { startFakeStripe } from '../tests/server/fake-stripe.ts';
import { billingThrough } from '../tests/server/fake-stripe.ts';
import { ORIGIN, signUp, startTestApp } from '../tests/server/harness.ts';

const SECRET = 'whsec_bench';
const FACILITIES = 20;
const fake = await startFakeStripe({ webhookSecret: SECRET });
const t = await startTestApp(billingThrough(fake, SECRET));
const post = (payload: string) =>
  t.app.request(`${ORIGIN}/api/billing/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': fake.sign(payload) },
    body: payload,
  });

// Subscribe FACILITIES facilities with events queued (not delivered), to time the delivery.
const subs: { facilityId: string; subId: string }[] = [];
for (let i = 0; i < FACILITIES; i++) {
  const o = await signUp(t);
  const res = await o.client.post('/api/billing/checkout', {});
  const sub = await fake.pay(new URL(res.json.url).pathname.split('/').pop()!);
  subs.push({ facilityId: o.facilityId, subId: sub.id });
}
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

const sequential: number[] = [];
for (const e of fake.events) {
  const start = performance.now();
  const res = await post(e.payload);
  sequential.push(performance.now() - start);
  if (res.status !== 200) throw new Error(`webhook ${res.status}`);
}

// Bursts: 10 concurrent events per facility while its state changes (cancel at period end).
const burst: number[] = [];
const before = fake.events.length;
for (const s of subs) await fake.cancelAtPeriodEnd(s.subId);
const updates = fake.events.slice(before);
const burstStart = performance.now();
await Promise.all(
  updates.flatMap((e) =>
    Array.from({ length: 10 }, async (_, k) => {
      const payload = e.payload.replace(/"id":"evt_[0-9a-f]+"/, `"id":"${e.id}_${k}"`);
      const start = performance.now();
      const res = await post(payload);
      burst.push(performance.now() - start);
      if (res.status !== 200) throw new Error(`webhook ${res.status} ${await res.text()}`);
    }),
  ),
);
const burstWall = performance.now() - burstStart;
const wrong = (await t.deps.db.prisma.subscription.findMany({ where: { facilityId: { in: subs.map((s) => s.facilityId) } } })).filter(
  (r) => !r.cancelAtPeriodEnd,
).length;

console.log(
  JSON.stringify({
    bench: 'stripe-webhook',
    db: process.env.TEST_DB === 'pglite' ? 'pglite' : 'postgres',
    load: os.loadavg()[0]!.toFixed(1),
    sequential: { events: sequential.length, p50: +quantile(sequential, 0.5).toFixed(1), p95: +quantile(sequential, 0.95).toFixed(1) },
    burst: {
      events: burst.length,
      p50: +quantile(burst, 0.5).toFixed(1),
      p95: +quantile(burst, 0.95).toFixed(1),
      perSecond: Math.round((burst.length / burstWall) * 1000),
    },
    facilitiesNotInFinalState: wrong,
  }),
);
await t.close();
await fake.close();
if (wrong) process.exit(1);
