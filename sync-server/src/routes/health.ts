import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { json, router } from './openapi.ts';

const health = createRoute({
  method: 'get',
  path: '/api/health',
  tags: ['health'],
  responses: {
    200: json(z.object({ ok: z.literal(true), db: z.literal('ok') }), 'Serving, database reachable'),
    503: json(
      z.object({ ok: z.literal(false), db: z.literal('unreachable'), error: z.string(), message: z.string() }),
      'The database is unreachable',
    ),
  },
});

export const healthRoutes = router().openapi(health, async (c) => {
  try {
    await c.get('deps').db.pool.query('SELECT 1');
    return c.json({ ok: true as const, db: 'ok' as const }, 200);
  } catch {
    return c.json({ ok: false as const, db: 'unreachable' as const, error: 'unavailable', message: 'The database is unreachable' }, 503);
  }
});
