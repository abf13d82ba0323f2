// Builds the long-lived parts from configuration (main.ts and the tests share this).
import type { Deps } from './context.ts';
import { openDatabase } from './db/index.ts';
import type { Env } from './env.ts';
import { createRateLimits } from './http/rate-limit.ts';
import { createLucia } from './http/session.ts';
import { LogMailer, ResendMailer, type Mailer } from './mail/mailer.ts';

export async function buildDeps(env: Env, overrides: { mailer?: Mailer } = {}): Promise<Deps> {
  const db = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    poolSize: env.DATABASE_POOL_SIZE,
  });
  const mailer = overrides.mailer ?? (env.RESEND_API_KEY ? new ResendMailer(env.RESEND_API_KEY, env.MAIL_FROM) : new LogMailer());
  return { env, db, mailer, lucia: createLucia(db.prisma), rateLimits: createRateLimits(env.AUTH_RATE_LIMIT_PER_MINUTE) };
}
