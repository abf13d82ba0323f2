// GET /api/exports/packages.csv (http-api.md "Packages and custody"): the package history as CSV,
// streamed from a database cursor with back-pressure (each batch is written only once the client
// has taken the previous one), so 100,000 packages stream in the memory of one batch. HEAD answers
// the headers only, `X-Total-Rows` included, without reading the packages.
import { createRoute } from '@hono/zod-openapi';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import { exportHead, exportLine, exportRange } from '../../../src/lib/domain/package-export.ts';
import { reportUnexpectedError } from '../error-reports.ts';
import { actorOf } from '../http/actor.ts';
import { startPackageExport } from '../services/export-packages.ts';
import { errors, router } from './openapi.ts';

const query = exportRange.safeExtend({
  hashes: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('`true` adds `custodyHash`, the last hash of the package’s custody chain'),
});

const exportRoute = createRoute({
  method: 'get',
  path: '/api/exports/packages.csv',
  tags: ['packages'],
  description:
    'The packages received from `from` to `to` (dates in the facility’s time zone, both included; either may be left out for an open end) with every field, their events and photo links, ' +
    'as CSV (UTF-8 with a BOM, CRLF, formulas neutralised), streamed. `X-Total-Rows` gives the number of packages. Every member may export, also in read-only mode.',
  request: { query },
  responses: {
    200: {
      content: { 'text/csv': { schema: z.string() } },
      headers: z.object({ 'X-Total-Rows': z.string().describe('The number of packages (data rows) in the file') }),
      description: 'CSV (UTF-8 with a BOM, CRLF): a header row, then one row per package in order of receipt',
    },
    ...errors(400, 401, 403, 404, 409),
  },
});

export const exportRoutes = router().openapi(exportRoute, async (c) => {
  const q = c.req.valid('query');
  const exp = await startPackageExport(c.get('deps'), await actorOf(c), { ...q, hashes: q.hashes ?? false });
  c.header('content-type', 'text/csv; charset=utf-8');
  c.header('content-disposition', `attachment; filename="${exp.fileName}"`);
  c.header('cache-control', 'no-store');
  c.header('x-total-rows', String(exp.cursor.total));
  if (c.req.method === 'HEAD') {
    await exp.cursor.close();
    return c.body(null, 200);
  }
  return stream(
    c,
    async (s) => {
      s.onAbort(() => exp.cursor.close());
      try {
        await s.write(exportHead(exp.options));
        for await (const batch of exp.cursor.batches()) {
          if (s.aborted) break;
          await s.write(batch.map((p) => exportLine(p, exp.options)).join(''));
        }
      } finally {
        await exp.cursor.close();
      }
    },
    async (err, s) => {
      reportUnexpectedError(err, { method: 'GET', route: '/api/exports/packages.csv' });
      // The status is already sent: break the transfer so the download fails instead of ending short.
      await (s as unknown as { writer: WritableStreamDefaultWriter }).writer.abort(err).catch(() => {});
    },
  ) as never;
});
