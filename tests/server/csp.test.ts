// The app's Content-Security-Policy (sync-server/src/http/csp.ts) built from the configuration and
// the built shell: inline scripts only by hash, photos from the storage host the presigned URLs
// really point at, error reports to the Sentry ingest host, never framed. No database needed.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { S3BlobStorage } from '../../sync-server/src/blobs/storage.ts';
import { loadEnv } from '../../sync-server/src/env.ts';
import { contentSecurityPolicy, inlineHashes, storageOrigins } from '../../sync-server/src/http/csp.ts';

const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

const BOOTSTRAP = `
				{
					__sveltekit_x = { base: "" };
					Promise.all([import("/_app/immutable/entry/start.js")]).then(([kit]) => kit.start());
				}
			`;
const SHELL = `<!doctype html><html><head>
<link href="/_app/immutable/entry/start.js" rel="modulepreload">
<script type="module" src="/_app/immutable/entry/app.js"></script>
</head><body><div style="display: contents"><script>${BOOTSTRAP}</script></div></body></html>`;

/** The policy as a map of directive → sources. */
function parse(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
}

const S3 = { S3_BUCKET: 'photos', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' };

describe('inline hashes of the built shell', () => {
  it('hashes the inline bootstrap exactly as written (whitespace included), not scripts with src', () => {
    const h = inlineHashes(SHELL);
    expect(h.scripts).toEqual([sha(BOOTSTRAP)]);
    expect(h.styleAttributes).toEqual([sha('display: contents')]);
  });
});

describe('contentSecurityPolicy', () => {
  it('is strict with no storage or Sentry configured', () => {
    const p = parse(contentSecurityPolicy(loadEnv({}), inlineHashes(SHELL), ['position: absolute']));
    expect(p.get('default-src')).toEqual(["'self'"]);
    // WebAssembly may compile (the camera's barcode reader); JavaScript eval stays refused.
    expect(p.get('script-src')).toEqual(["'self'", sha(BOOTSTRAP), "'wasm-unsafe-eval'"]);
    expect(p.get('script-src-attr')).toEqual(["'none'"]); // no onclick="…"
    expect(p.get('style-src')).toEqual(["'self'"]);
    expect(p.get('style-src-attr')).toEqual(["'unsafe-hashes'", sha('display: contents'), sha('position: absolute')]);
    expect(p.get('img-src')).toEqual(["'self'", 'blob:', 'data:']);
    expect(p.get('connect-src')).toEqual(["'self'"]);
    expect(p.get('worker-src')).toEqual(["'self'"]);
    expect(p.get('manifest-src')).toEqual(["'self'"]);
    expect(p.get('object-src')).toEqual(["'none'"]);
    expect(p.get('base-uri')).toEqual(["'self'"]);
    expect(p.get('form-action')).toEqual(["'self'"]);
    expect(p.get('frame-ancestors')).toEqual(["'none'"]);
    const all = [...p.values()].flat();
    expect(all).not.toContain("'unsafe-inline'");
    expect(all).not.toContain("'unsafe-eval'");
  });

  it('allows the storage host for images and fetches, and the Sentry ingest host for fetches', () => {
    const env = loadEnv({
      ...S3,
      S3_ENDPOINT: 'https://acc.r2.cloudflarestorage.com/',
      S3_FORCE_PATH_STYLE: 'true',
      SENTRY_DSN: 'https://publickey@o42.ingest.sentry.io/1234',
    });
    const p = parse(contentSecurityPolicy(env, inlineHashes(SHELL)));
    expect(p.get('img-src')).toEqual(["'self'", 'blob:', 'data:', 'https://acc.r2.cloudflarestorage.com']);
    expect(p.get('connect-src')).toEqual(["'self'", 'https://acc.r2.cloudflarestorage.com', 'https://o42.ingest.sentry.io']);
    expect(p.get('style-src-attr')).toEqual(["'unsafe-hashes'", sha('display: contents')]);
  });

  it.each([
    ['path style', { S3_ENDPOINT: 'http://127.0.0.1:9000', S3_FORCE_PATH_STYLE: 'true' }],
    ['virtual-hosted style', { S3_ENDPOINT: 'https://acc.r2.cloudflarestorage.com' }],
    ['AWS without an endpoint', { S3_REGION: 'eu-west-1' }],
  ])('names the origin presigned photo URLs really have (%s)', async (_name, extra) => {
    const env = loadEnv({ ...S3, ...extra });
    const storage = new S3BlobStorage({
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION,
      bucket: env.S3_BUCKET!,
      accessKeyId: 'k',
      secretAccessKey: 's',
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
    });
    // Presigning is local (no request): the URL a browser will be sent to.
    const url = await storage.presignGet(`${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}/${'a'.repeat(64)}.jpg`, 60);
    expect(storageOrigins(env)).toContain(new URL(url).origin);
  });

  it('names no storage host with local storage (photos come from this origin)', () => {
    expect(storageOrigins(loadEnv({}))).toEqual([]);
  });
});
