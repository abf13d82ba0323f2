// Configuration, validated once at boot (fail fast with a message a person can act on).
// Every variable is documented in .env.example.
import { z } from 'zod';
import { DEVELOPMENT_KEY_RING, parseKeyRing, type KeyRing } from './notifications/secret-box.ts';

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** A Postgres URL; unset → the embedded PGlite database under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  DATA_DIR: z.string().default('./data'),
  /**
   * The public origin (https://mail.example.com): every link the server builds starts with it, and
   * state-changing requests from any other origin are refused. Required in production; elsewhere
   * http://localhost:<PORT>.
   */
  PUBLIC_ORIGIN: z
    .string()
    .url()
    .transform((u) => new URL(u).origin)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** How many reverse proxies stand in front of the server: the client address is read that many hops back in X-Forwarded-For. 0: the socket address, the header ignored. */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Sentry DSN; unset: no error reporting leaves the server or the app. */
  SENTRY_DSN: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Secret for signing local blob URLs and other server-side MACs; required in production. */
  APP_SECRET: z
    .string()
    .min(32, 'APP_SECRET must be at least 32 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Seeds the demo organization on start when the database has no users. */
  SEED_DEMO: bool,
  /**
   * Sends email through Resend when set; otherwise account emails are logged (development) and
   * notification emails are kept in the captured outbox, never leaving the machine.
   */
  RESEND_API_KEY: z
    .string()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Where the Resend SDK sends its requests (any Resend-compatible server); unset: https://api.resend.com. */
  RESEND_BASE_URL: z
    .string()
    .url()
    .transform((u) => u.replace(/\/+$/, ''))
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** The sender of every email; MAIL_FROM is its older name, still read when EMAIL_FROM is unset. */
  EMAIL_FROM: z.string().min(3).optional(),
  MAIL_FROM: z.string().default('PackageTrack Pro <no-reply@packagetrack.local>'),
  /** Packages received for one recipient within this many seconds go out as one message. */
  NOTIFY_BATCH_WINDOW_SECONDS: z.coerce.number().int().min(0).max(3600).default(120),
  /** Sends of one message before it is marked failed (a 5xx or timeout is retried, a 4xx never). */
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /** The first retry's delay; each further retry waits twice as long (exponential backoff). */
  NOTIFY_RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  /** A provider that has not answered a send in this many seconds has timed out (retried like a 5xx). */
  NOTIFY_SEND_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(30),
  /** Per-route auth rate limit (requests per minute per client address). */
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Sign-in and password-reset attempts per account (email) per minute, from any address. */
  AUTH_ACCOUNT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** Quotas on signed-in work (anyone can sign up and become an admin). */
  QUOTA_PUSHES_PER_MINUTE_PER_USER: z.coerce.number().int().min(1).default(120),
  QUOTA_PUSHES_PER_MINUTE_PER_FACILITY: z.coerce.number().int().min(1).default(600),
  /** Rejected mutations kept per device for it to learn why (the oldest go first). */
  QUOTA_REJECTIONS_KEPT_PER_CLIENT: z.coerce.number().int().min(1).default(500),
  QUOTA_CONCURRENT_UPLOADS_PER_USER: z.coerce.number().int().min(1).default(4),
  QUOTA_UPLOAD_MB_PER_DAY: z.coerce.number().int().min(1).max(2_000_000).default(2048),
  QUOTA_INVITATIONS_PER_HOUR: z.coerce.number().int().min(1).default(30),
  /** bcrypt cost; 12 in every real deployment (privacy policy §7). */
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
  STATIC_DIR: z.string().default('./build'),
  /** Object storage through the S3 API (AWS S3, Cloudflare R2, …). Unset: files under BLOB_DIR. */
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().default('auto'),
  S3_BUCKET: z.string().min(3).optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: bool,
  /** Local photo storage when S3 is not configured (default <DATA_DIR>/blobs). */
  BLOB_DIR: z.string().optional(),
  BLOB_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(15 * 1024 * 1024),
  BLOB_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  /** Rows per pull page (sync-protocol.md "Pull": pages limited in size). */
  /** Days a soft-deleted row is kept as a tombstone before it is purged. */
  TOMBSTONE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  SYNC_PULL_PAGE_SIZE: z.coerce.number().int().min(1).max(10_000).default(2000),
  /**
   * Keys for integration credentials at rest (AES-256-GCM): "kid:<base64 of 32 bytes>", comma
   * separated, the first encrypts and every one decrypts (rotation). Required in production;
   * elsewhere unset means a fixed, published development key.
   */
  ENCRYPTION_KEY: z
    .string()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Development and tests only: webhooks may be http and point anywhere, local addresses too. */
  ALLOW_LOCAL_WEBHOOKS: bool,
  /** Anthropic's API key for the AI features (docs/ai.md); unset: AI is off and every AI route answers 503 ai_unavailable. */
  ANTHROPIC_API_KEY: z
    .string()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Where the Anthropic SDK sends its requests (any Messages-API-compatible server); unset: https://api.anthropic.com. */
  ANTHROPIC_BASE_URL: z
    .string()
    .url()
    .transform((u) => u.replace(/\/+$/, ''))
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** The Claude model the AI features ask (it must read images and call tools). */
  ANTHROPIC_MODEL: z.string().trim().min(1).default('claude-sonnet-5-5'),
  /** Calls to Claude per facility per UTC day; past it the AI routes answer 429 ai_cap_reached (the local paths go on). */
  AI_DAILY_CAP: z.coerce.number().int().min(0).max(1_000_000).default(500),
  /** Milliseconds a label reading may take, retries included, before 503 ai_unavailable (the client reads locally). */
  AI_LABEL_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(8000),
  /** Milliseconds a search or a match may take, retries included, before 503 ai_unavailable. */
  AI_SEARCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(4000),
  /** Retries of a call Claude answered 429, 529 or 5xx (the SDK's backoff), within the timeout. */
  AI_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** Where the Twilio SDK sends its requests instead of https://api.twilio.com (a local fake in tests). */
  TWILIO_API_BASE: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

export type Env = Omit<z.infer<typeof schema>, 'EMAIL_FROM'> & {
  /** EMAIL_FROM, or MAIL_FROM when only the older name is set. */
  EMAIL_FROM: string;
  APP_SECRET: string;
  PUBLIC_ORIGIN: string;
  /** True when PUBLIC_ORIGIN was not configured and is this machine's http://localhost:<PORT>. */
  PUBLIC_ORIGIN_IS_DEFAULT: boolean;
  /** ENCRYPTION_KEY parsed (or the development key ring outside production). */
  ENCRYPTION_KEY_RING: KeyRing;
};

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}\nSee .env.example.`);
  }
  const env = parsed.data;
  const s3 = [env.S3_BUCKET, env.S3_ACCESS_KEY_ID, env.S3_SECRET_ACCESS_KEY];
  const anyS3 = Object.entries(source).some(([k, v]) => k.startsWith('S3_') && v);
  if (anyS3 && !s3.every(Boolean)) {
    throw new Error(
      'Invalid configuration:\n  S3_*: object storage needs S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (or no S3_* at all for local files)\nSee .env.example.',
    );
  }
  if (env.NODE_ENV === 'production') {
    // No embedded database, no Host-derived links and no throwaway secret in production.
    const missing = (['DATABASE_URL', 'PUBLIC_ORIGIN', 'APP_SECRET', 'ENCRYPTION_KEY'] as const).filter((k) => !env[k]);
    if (missing.length) {
      throw new Error(
        `Invalid configuration:\n${missing.map((k) => `  ${k}: required when NODE_ENV=production`).join('\n')}\nSee .env.example.`,
      );
    }
    if (env.ALLOW_LOCAL_WEBHOOKS)
      throw new Error(
        'Invalid configuration:\n  ALLOW_LOCAL_WEBHOOKS: webhooks to local addresses are never allowed in production\nSee .env.example.',
      );
    if (env.SEED_DEMO)
      throw new Error(
        'Invalid configuration:\n  SEED_DEMO: the demo (with its published password) is never seeded in production\nSee .env.example.',
      );
  }
  if (env.NODE_ENV === 'production' && env.BCRYPT_COST < 12) {
    throw new Error('Invalid configuration:\n  BCRYPT_COST: must be at least 12 in production\nSee .env.example.');
  }
  let keyRing = DEVELOPMENT_KEY_RING;
  if (env.ENCRYPTION_KEY) {
    try {
      keyRing = parseKeyRing(env.ENCRYPTION_KEY);
    } catch (e) {
      throw new Error(`Invalid configuration:\n  ENCRYPTION_KEY: ${(e as Error).message}\nSee .env.example.`);
    }
  } else if (env.NODE_ENV === 'development') {
    console.warn('[env] ENCRYPTION_KEY is not set: integration credentials are sealed with the published development key');
  }
  // Development and tests without a secret: a per-process random one (signed URLs then die with
  // the process, which is what a throwaway secret should do).
  const secret = env.APP_SECRET ?? cryptoRandomSecret();
  const publicOrigin = env.PUBLIC_ORIGIN ?? `http://localhost:${env.PORT}`;
  return {
    ...env,
    EMAIL_FROM: env.EMAIL_FROM ?? env.MAIL_FROM,
    APP_SECRET: secret,
    PUBLIC_ORIGIN: publicOrigin,
    PUBLIC_ORIGIN_IS_DEFAULT: !env.PUBLIC_ORIGIN,
    ENCRYPTION_KEY_RING: keyRing,
  };
}

/**
 * The demo organization (its password is published in the README) exists only outside production:
 * on the embedded database by default, or anywhere with SEED_DEMO (never in tests unless asked).
 */
export function shouldSeedDemo(env: Pick<Env, 'NODE_ENV' | 'SEED_DEMO'>, embeddedDatabase: boolean): boolean {
  if (env.NODE_ENV === 'production') return false;
  return env.SEED_DEMO || (embeddedDatabase && env.NODE_ENV !== 'test');
}

function cryptoRandomSecret(): string {
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('hex');
}
