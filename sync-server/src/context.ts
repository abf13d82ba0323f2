// What the app is built from: configuration and the long-lived parts. Tests build their own.
import type { Lucia } from 'lucia';
import type { BlobStorage } from './blobs/storage.ts';
import type { Database } from './db/index.ts';
import type { Env } from './env.ts';
import type { Mailer } from './mail/mailer.ts';
import type { RateLimits } from './http/rate-limit.ts';

export interface Deps {
  env: Env;
  db: Database;
  mailer: Mailer;
  /** Sessions, and the cookie for plain-http requests (local development). */
  lucia: Lucia;
  /** The same sessions; its cookie carries the __Host- prefix for HTTPS requests. */
  httpsLucia: Lucia;
  rateLimits: RateLimits;
  blobs: BlobStorage;
}

export interface SessionUser {
  id: string;
  name: string;
  email: string;
}

/** Hono context variables set by the session middleware. */
export interface AppVariables {
  deps: Deps;
  user: SessionUser | null;
  sessionId: string | null;
  activeFacilityId: string | null;
}

export type AppEnv = { Variables: AppVariables };
