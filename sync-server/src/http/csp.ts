// The Content-Security-Policy of the app's HTML, built once at start from the configuration and the
// built index.html. Scripts run only from this origin plus SvelteKit's inline bootstrap, allowed by
// the SHA-256 of its exact text (CSP3 hash sources), so an injected <script> or onclick="…" never
// runs. `frame-ancestors` is only honoured in a header (CSP3 §6.4.2: ignored in <meta>), which is
// why the server sends the policy rather than SvelteKit's kit.csp <meta>.
import { createHash } from 'node:crypto';
import type { Env } from '../env.ts';

type CspEnv = Pick<Env, 'S3_ENDPOINT' | 'S3_BUCKET' | 'S3_REGION' | 'S3_FORCE_PATH_STYLE' | 'SENTRY_DSN'>;

/** What the built shell needs allowed inline, as CSP hash sources ('sha256-…'). */
export interface InlineHashes {
  scripts: string[];
  /** style="…" attributes of the shell, allowed through 'unsafe-hashes' (CSP3 §8.3). */
  styleAttributes: string[];
}

const hashSource = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * Hashes of the inline <script> elements (no src) and style attributes of a built HTML page. The
 * hash covers the element's text exactly as written, whitespace included (CSP3 §8.2).
 */
export function inlineHashes(html: string): InlineHashes {
  const scripts = [...html.matchAll(/<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => hashSource(m[1]!));
  const styleAttributes = [...html.matchAll(/\sstyle\s*=\s*"([^"]*)"/gi)].map((m) => hashSource(m[1]!));
  return { scripts: [...new Set(scripts)], styleAttributes: [...new Set(styleAttributes)] };
}

/**
 * Where photos are read from: presigned URLs point at the S3 endpoint, with the bucket as a
 * subdomain (virtual-hosted style) unless S3_FORCE_PATH_STYLE. Local storage: this origin.
 */
export function storageOrigins(env: CspEnv): string[] {
  if (!env.S3_BUCKET) return [];
  const endpoint = new URL(env.S3_ENDPOINT ?? `https://s3.${env.S3_REGION}.amazonaws.com`);
  const origins = [endpoint.origin];
  if (!env.S3_FORCE_PATH_STYLE) origins.push(`${endpoint.protocol}//${env.S3_BUCKET}.${endpoint.host}`);
  return origins;
}

/** The Sentry ingest host of the DSN (https://<key>@o1.ingest.sentry.io/2 → https://o1.ingest.sentry.io). */
export function sentryOrigin(env: Pick<Env, 'SENTRY_DSN'>): string[] {
  return env.SENTRY_DSN ? [new URL(env.SENTRY_DSN).origin] : [];
}

/**
 * The policy as a header value. Svelte sets dynamic styles through the CSSOM (el.style.cssText),
 * which CSP does not govern; the only style attributes parsed from markup are the shell's own and
 * SvelteKit's route announcer, allowed by hash.
 */
export function contentSecurityPolicy(env: CspEnv, inline: InlineHashes, extraStyleAttributes: string[] = []): string {
  const storage = storageOrigins(env);
  const styleAttrs = [...new Set([...inline.styleAttributes, ...extraStyleAttributes.map(hashSource)])];
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    // 'wasm-unsafe-eval' lets WebAssembly compile (the camera's barcode reader, served from this
    // origin); it does not allow eval() or new Function() of JavaScript (CSP3 §8.4).
    ['script-src', "'self'", ...inline.scripts, "'wasm-unsafe-eval'"],
    ['script-src-attr', "'none'"],
    ['style-src', "'self'"],
    ['style-src-attr', ...(styleAttrs.length ? ["'unsafe-hashes'", ...styleAttrs] : ["'none'"])],
    ['img-src', "'self'", 'blob:', 'data:', ...storage],
    ['connect-src', "'self'", ...storage, ...sentryOrigin(env)],
    ['font-src', "'self'"],
    ['worker-src', "'self'"],
    ['manifest-src', "'self'"],
    ['object-src', "'none'"],
    ['base-uri', "'self'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}
