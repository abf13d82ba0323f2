import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { sha256Hex } from '../../../src/lib/domain/sync/mutations.ts';
import { CONTENT_TYPES, LocalBlobStorage } from '../blobs/storage.ts';
import { actorOf } from '../http/actor.ts';
import { AppError } from '../http/errors.ts';
import { readBodyLimited } from '../http/read-body.ts';
import { blobStored, presignBlob } from '../services/read-blob.ts';
import { uploadBlob } from '../services/upload-blob.ts';
import { errors, json, router } from './openapi.ts';

const params = z.object({ sha256: sha256Hex });

const put = createRoute({
  method: 'put',
  path: '/api/sync/blobs/{sha256}',
  tags: ['sync'],
  description: 'Uploads a photo or signature under the SHA-256 of its bytes. `?kind=signature` keeps lossless PNG.',
  request: {
    params,
    query: z.object({ kind: z.enum(['photo', 'signature']).optional() }),
    body: { content: { 'image/*': { schema: z.any() } }, required: true },
  },
  responses: {
    200: json(z.object({ hash: z.string(), stored: z.literal(true), alreadyStored: z.literal(true) }), 'Already stored (no-op)'),
    201: json(z.object({ hash: z.string(), contentType: z.string(), size: z.number(), width: z.number(), height: z.number() }), 'Stored'),
    ...errors(400, 401, 403, 404, 413, 415),
  },
});

const get = createRoute({
  method: 'get',
  path: '/api/sync/blobs/{sha256}',
  tags: ['sync'],
  description:
    'GET: a redirect to a presigned URL valid for minutes. HEAD (answered by this route, as Hono serves HEAD through GET): 200 when the active facility holds the blob, 404 when not.',
  request: { params },
  responses: {
    200: { description: 'HEAD: stored here' },
    302: { description: 'GET: redirect to a presigned URL' },
    ...errors(401, 403, 404),
  },
});

const local = createRoute({
  method: 'get',
  path: '/api/blobs/local/{facilityId}/{file}',
  tags: ['sync'],
  description: 'Serves a locally stored blob to the holder of a signed, unexpired URL (no session needed).',
  request: {
    params: z.object({ facilityId: z.string().uuid(), file: z.string().regex(/^[0-9a-f]{64}\.(jpg|png|webp)$/) }),
    query: z.object({ exp: z.string().optional(), sig: z.string().optional() }),
  },
  responses: { 200: { description: 'The image' }, ...errors(403, 404) },
});

export const blobRoutes = router()
  .openapi(put, async (c) => {
    // Who is asking comes first: an anonymous request is not worth buffering 15 MiB for (the node
    // adapter drains a body left unread, so the early 401 still reaches the client).
    const actor = await actorOf(c);
    const read = () => readBodyLimited(c, c.get('deps').env.BLOB_MAX_BYTES);
    const r = await uploadBlob(c.get('deps'), actor, c.req.valid('param').sha256, read, {
      signature: c.req.valid('query').kind === 'signature',
    });
    return c.json(r.body as never, r.status);
  })
  .openapi(get, async (c) => {
    if (c.req.method === 'HEAD') {
      const stored = await blobStored(c.get('deps'), await actorOf(c), c.req.valid('param').sha256);
      return c.body(null, stored ? 200 : 404);
    }
    const url = await presignBlob(c.get('deps'), await actorOf(c), c.req.valid('param').sha256);
    c.header('cache-control', 'no-store');
    return c.redirect(url, 302);
  })
  .openapi(local, async (c) => {
    const storage = c.get('deps').blobs;
    if (!(storage instanceof LocalBlobStorage)) throw new AppError(404, 'not_found', 'No local storage here');
    const { facilityId, file } = c.req.valid('param');
    const key = `${facilityId}/${file}`;
    const { exp, sig } = c.req.valid('query');
    const check = storage.verify(key, exp, sig);
    if (check !== 'ok') throw new AppError(403, check === 'expired' ? 'url_expired' : 'invalid_signature', 'This photo link is not valid');
    const bytes = await storage.read(key);
    if (!bytes) throw new AppError(404, 'not_found', 'No such photo');
    const remaining = Math.max(0, Number(exp) - Math.floor(Date.now() / 1000));
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': CONTENT_TYPES[file.split('.').pop()!]!,
      'cache-control': `private, max-age=${remaining}`,
    });
  });
