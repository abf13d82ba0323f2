// Builds the long-lived parts from configuration (main.ts and the tests share this).
import os from 'node:os';
import path from 'node:path';
import { LocalBlobStorage, S3BlobStorage, type BlobStorage } from './blobs/storage.ts';
import type { Deps } from './context.ts';
import { openDatabase } from './db/index.ts';
import type { Env } from './env.ts';
import { createRateLimits } from './http/rate-limit.ts';
import { createLucia } from './http/session.ts';
import { LogMailer, ResendEmail, type Mailer } from './mail/mailer.ts';

export function buildBlobStorage(env: Env): BlobStorage {
  if (env.S3_BUCKET) {
    return new S3BlobStorage({
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION,
      bucket: env.S3_BUCKET,
      accessKeyId: env.S3_ACCESS_KEY_ID!,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
    });
  }
  const dir = env.BLOB_DIR ?? path.join(env.DATA_DIR || os.tmpdir(), 'blobs');
  return new LocalBlobStorage(dir, env.APP_SECRET);
}

export async function buildDeps(env: Env, overrides: { mailer?: Mailer; blobs?: BlobStorage } = {}): Promise<Deps> {
  const db = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    poolSize: env.DATABASE_POOL_SIZE,
  });
  const mailer =
    overrides.mailer ?? (env.RESEND_API_KEY ? new ResendEmail(env.RESEND_API_KEY, env.EMAIL_FROM, env.RESEND_BASE_URL) : new LogMailer());
  return {
    env,
    db,
    mailer,
    lucia: createLucia(db.prisma),
    httpsLucia: createLucia(db.prisma, true),
    rateLimits: createRateLimits(env, db.pool),
    blobs: overrides.blobs ?? buildBlobStorage(env),
  };
}
