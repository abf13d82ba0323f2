// Rate-limit and quota counters (rate-limiter-flexible writes them through http/rate-limit.ts; this
// is the one place that cleans them up). Not facility-owned: keys name what they count.
import type { PrismaClient } from '../generated/prisma/client.ts';

/** Removes counters whose window ended before `before` (a key seen again simply starts afresh). */
export const deleteExpiredRateLimits = (db: PrismaClient, before: Date) =>
  db.rateLimit.deleteMany({ where: { expire: { lt: BigInt(before.getTime()) } } });
