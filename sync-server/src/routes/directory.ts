import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { ENTRY_TYPES, IMPORT_MAX_BYTES, type EntryType } from '../../../src/lib/domain/directory-csv.ts';
import { actorOf } from '../http/actor.ts';
import { AppError } from '../http/errors.ts';
import { readBodyLimited } from '../http/read-body.ts';
import { directoryTemplate, exportDirectory } from '../services/export-directory.ts';
import { importDirectory } from '../services/import-directory.ts';
import { errors, json, router } from './openapi.ts';

/** `team member` travels as `team-member` in a URL too. */
const entryType = z
  .enum([...ENTRY_TYPES, 'team-member'])
  .transform((t) => (t === 'team-member' ? 'team member' : t) as EntryType)
  .optional();
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const CSV_TYPES = /^(text\/csv|text\/plain|application\/csv|application\/vnd\.ms-excel)\b/i;

const importRoute = createRoute({
  method: 'post',
  path: '/api/directory/import',
  tags: ['directory'],
  description:
    'Imports recipients, departments, locations and team members from CSV (a `type` column, or one type per file: `type` names it, else it is guessed from the columns). ' +
    '`dryRun=true` writes nothing; `atomic=true` writes nothing when any row is invalid. Line numbers count the header as line 1. ' +
    '`created` counts new rows and invitations sent. Admins only.',
  request: {
    query: z.object({ dryRun: flag, atomic: flag.optional(), type: entryType }),
    body: { content: { 'text/csv': { schema: z.string() } }, required: true },
  },
  responses: {
    200: json(
      z.object({
        total: z.number(),
        valid: z.number(),
        created: z.number(),
        updated: z.number(),
        errors: z.array(z.object({ line: z.number(), message: z.string() })),
      }),
      'What the import did (or, in a dry run, would do)',
    ),
    ...errors(400, 401, 403, 404, 409, 413, 415),
  },
});

const csvResponse = { content: { 'text/csv': { schema: z.string() } }, description: 'CSV (UTF-8 with a BOM, CRLF)' };

const template = createRoute({
  method: 'get',
  path: '/api/directory/template.csv',
  tags: ['directory'],
  description: 'A CSV template with example rows: every type with a `type` column, or one type (`?type=`).',
  request: { query: z.object({ type: entryType }) },
  responses: { 200: csvResponse, ...errors(400, 401, 403, 404) },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/api/directory/export.csv',
  tags: ['directory'],
  description: 'The facility’s directory as one CSV the import reads back unchanged.',
  responses: { 200: csvResponse, ...errors(401, 403, 404) },
});

const download = (name: string) => ({
  'content-type': 'text/csv; charset=utf-8',
  'content-disposition': `attachment; filename="${name}"`,
  'cache-control': 'no-store',
});

export const directoryRoutes = router()
  .openapi(importRoute, async (c) => {
    const actor = await actorOf(c);
    if (!CSV_TYPES.test(c.req.header('content-type') ?? '')) throw new AppError(415, 'unsupported_media_type', 'Send the file as text/csv');
    const body = await readBodyLimited(c, IMPORT_MAX_BYTES, IMPORT_MAX_BYTES * 2);
    const q = c.req.valid('query');
    return c.json(await importDirectory(c.get('deps'), actor, body, { dryRun: q.dryRun, atomic: q.atomic ?? false, type: q.type }), 200);
  })
  .openapi(template, async (c) => {
    const type = c.req.valid('query').type;
    const csv = directoryTemplate(await actorOf(c), type);
    return c.body(csv, 200, download(`directory-template${type ? `-${type.replace(' ', '-')}` : ''}.csv`));
  })
  .openapi(exportRoute, async (c) => c.body(await exportDirectory(c.get('deps'), await actorOf(c)), 200, download('directory.csv')));
