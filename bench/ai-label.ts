// AI label reading, the server's share: POST /api/ai/label through the whole app (session, body
// read, image check, cap row, the real Anthropic SDK over HTTP to a local Messages-API stand-in that
// answers at once, zod, the cross-check, candidates from the facility's directory by the fuzzy
// search) — the model's own time excluded, since the stand-in answers immediately. Also the bytes a
// label crop costs: the crop as the device sends it, and the request body Claude receives.
//   npx tsx bench/ai-label.ts [--runs 60] [--recipients 2000]      (TEST_DB=pglite: embedded database)
// Target: p95 ≤ 150 ms. Prints one JSON line; bench/README.md records results.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { startFakeAnthropic } from '../tests/server/fake-anthropic.ts';
import { asOwner, signUp, startTestApp, usingPglite } from '../tests/server/harness.ts';
import { LABELS, labelPng } from '../tests/server/label-images.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const RUNS = arg('runs', 60);
const RECIPIENTS = arg('recipients', 2000);

const fake = await startFakeAnthropic();
const t = await startTestApp({ ANTHROPIC_API_KEY: 'sk-ant-bench', ANTHROPIC_BASE_URL: fake.url, AI_DAILY_CAP: '1000000' });
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 10) / 10;
};
try {
  const acct = await signUp(t);
  await asOwner(t, async (c) => {
    await c.query(
      `INSERT INTO recipients (id, "facilityId", name, email, version)
       SELECT gen_random_uuid(), $1, 'Person ' || g || ' ' || (ARRAY['Lovelace','Hopper','Turing','Scully','Curie'])[1 + g % 5], 'p' || g || '@example.test', 1
       FROM generate_series(1, $2) g`,
      [acct.facilityId, RECIPIENTS - 1],
    );
    await c.query(`INSERT INTO recipients (id, "facilityId", name, version) VALUES ($1, $2, 'Ada Lovelace', 1)`, [
      randomUUID(),
      acct.facilityId,
    ]);
  });
  const f = LABELS.ups!;
  fake.reply(() => ({
    tool: { carrier: f.carrier, trackingNumber: f.trackingNumber, recipientName: f.recipientName, sender: f.sender, confidence: 0.93 },
  }));

  // What a device sends: the label cropped and shrunk to a 1568 px long edge, JPEG (and the small crop of a barcode's neighbourhood).
  const crops = {
    frame1568: await sharp(await labelPng(f, { width: 1568 }))
      .jpeg({ quality: 80 })
      .toBuffer(),
    neighbourhood800: await sharp(await labelPng(f, { width: 800 }))
      .jpeg({ quality: 80 })
      .toBuffer(),
    oversized2400: await labelPng(f, { width: 2400, format: 'jpeg' }),
  };
  const results: Record<string, unknown> = {};
  for (const [name, bytes] of Object.entries(crops)) {
    const times: number[] = [];
    for (let i = 0; i < RUNS + 5; i++) {
      fake.requests.length = 0;
      const started = performance.now();
      const res = await acct.client.request('POST', `/api/ai/label?barcode=${f.trackingNumber}`, new Uint8Array(bytes), {
        'content-type': 'image/jpeg',
      });
      const ms = performance.now() - started;
      if (res.status !== 200) throw new Error(`label → ${res.status} ${res.text}`);
      if (i >= 5) times.push(ms); // the first few warm the SDK's connection, sharp and the JIT
    }
    // The call's own share (SDK, HTTP to the stand-in and back), as ai_requests records it.
    const calls = await asOwner(t, (c) =>
      c.query<{ ms: number }>(`SELECT "latencyMs" AS ms FROM ai_requests WHERE "facilityId" = $1 ORDER BY at DESC LIMIT $2`, [
        acct.facilityId,
        RUNS,
      ]),
    );
    const callMs = calls.rows.map((r) => r.ms);
    const body = JSON.stringify(fake.requests[0]!.body);
    const sent = Buffer.from(fake.requests[0]!.body.messages[0].content[0].source.data, 'base64');
    const meta = await sharp(sent).metadata();
    results[name] = {
      cropBytes: bytes.length,
      sentImageBytes: sent.length,
      sentEdge: Math.max(meta.width!, meta.height!),
      requestBodyBytes: Buffer.byteLength(body),
      callP50: pct(callMs, 50),
      callP95: pct(callMs, 95),
      p50: pct(times, 50),
      p95: pct(times, 95),
      max: pct(times, 100),
    };
  }
  console.log(
    JSON.stringify({
      bench: 'ai-label',
      database: usingPglite ? 'pglite' : 'postgres',
      recipients: RECIPIENTS,
      runs: RUNS,
      load: os.loadavg().map((l) => Math.round(l * 10) / 10),
      results,
      targetP95Ms: 150,
    }),
  );
} finally {
  await fake.close();
  await t.close();
}
