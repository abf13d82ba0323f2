// Shared setup of the AI route tests: the app pointed at a fake Messages API (the real SDK talks
// to it over HTTP), two organizations with directories of their own, and a look at ai_requests.
import { randomUUID } from 'node:crypto';
import type { Env } from '../../sync-server/src/env.ts';
import { startFakeAnthropic, type FakeAnthropic } from './fake-anthropic.ts';
import { asOwner, signUp, startTestApp, type TestApp } from './harness.ts';

export const KEY = 'sk-ant-test-key';

export interface AiWorld {
  t: TestApp;
  fake: FakeAnthropic;
  A: Awaited<ReturnType<typeof signUp>>;
  B: Awaited<ReturnType<typeof signUp>>;
  /** A's directory, by name. */
  a: Record<string, string>;
  /** B's directory (the other facility), by name. */
  b: Record<string, string>;
  close(): Promise<void>;
}

export async function startAiWorld(env: Partial<Record<keyof Env, string>> = {}): Promise<AiWorld> {
  const fake = await startFakeAnthropic();
  const t = await startTestApp({
    ANTHROPIC_API_KEY: KEY,
    ANTHROPIC_BASE_URL: fake.url,
    ANTHROPIC_MODEL: 'claude-test-model',
    // Short deadlines, so the timeout tests are quick (the defaults are 8 s and 4 s).
    AI_LABEL_TIMEOUT_MS: '1500',
    AI_SEARCH_TIMEOUT_MS: '1500',
    AI_MAX_RETRIES: '2',
    AI_DAILY_CAP: '10000',
    ...env,
  });
  const A = await signUp(t);
  const B = await signUp(t);
  const a = await seedDirectory(
    t,
    A.facilityId,
    ['Ada Lovelace', 'Ada Lovelock', 'Grace Hopper', 'Alan Turing', 'Dana Scully'],
    ['Engineering', 'Finance'],
  );
  // B has an Ada Lovelace too: her id must never reach A.
  const b = await seedDirectory(t, B.facilityId, ['Ada Lovelace', 'Every Facility'], ['Engineering']);
  return {
    t,
    fake,
    A,
    B,
    a,
    b,
    async close() {
      await fake.close();
      await t.close();
    },
  };
}

/** Recipients (with an email, phone and note the AI must never see) and departments, as the owner. */
export async function seedDirectory(t: TestApp, facilityId: string, names: string[], departments: string[]) {
  const ids: Record<string, string> = {};
  await asOwner(t, async (c) => {
    for (const d of departments) {
      ids[d] = randomUUID();
      await c.query(`INSERT INTO departments (id, "facilityId", name, version) VALUES ($1, $2, $3, 1)`, [ids[d], facilityId, d]);
    }
    for (const [i, n] of names.entries()) {
      ids[n] = randomUUID();
      await c.query(
        `INSERT INTO recipients (id, "facilityId", name, email, phone, notes, "departmentId", version) VALUES ($1, $2, $3, $4, $5, $6, $7, 1)`,
        [
          ids[n],
          facilityId,
          n,
          `${n.replace(/\W/g, '.').toLowerCase()}@secret.test`,
          '+15550100',
          'private note',
          ids[departments[i % departments.length]!] ?? null,
        ],
      );
    }
  });
  return ids;
}

export async function aiRequests(t: TestApp, facilityId: string) {
  return asOwner(t, async (c) => {
    const r = await c.query(
      `SELECT feature, "requestShape", outcome, "latencyMs" FROM ai_requests WHERE "facilityId" = $1 ORDER BY at, id`,
      [facilityId],
    );
    return r.rows as { feature: string; requestShape: Record<string, unknown>; outcome: string; latencyMs: number | null }[];
  });
}
