// The AI routes (http-api.md "AI", issue 12): a label photo read by Claude, a name matched among a
// few candidates, a plain-language question turned into the packages list's filter. Every answer
// is for the session's active facility only; 503 ai_unavailable whenever the AI path cannot be
// used (no key, switched off, Claude unreachable or too slow, an answer that fails validation) so
// the client falls back to its local path, and 429 ai_cap_reached past the facility's daily cap.
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  AI_LABEL_MAX_BYTES,
  aiLabelAnswer,
  aiLabelQuery,
  aiMatchAnswer,
  aiMatchInput,
  aiSearchAnswer,
  aiSearchInput,
} from '../../../src/lib/domain/ai.ts';
import { actorOf } from '../http/actor.ts';
import { readBodyLimited } from '../http/read-body.ts';
import { readLabel } from '../services/ai-label.ts';
import { matchRecipient } from '../services/ai-match.ts';
import { searchPackages } from '../services/ai-search.ts';
import { errors, json, jsonBody, router } from './openapi.ts';

const aiErrors = errors(400, 401, 403, 404, 409, 429, 503);

const label = createRoute({
  method: 'post',
  path: '/api/ai/label',
  tags: ['ai'],
  description:
    'Reads a cropped label photo (image/jpeg or image/png, at most 2 MiB; a longer edge than 1568 px is shrunk before it is sent) with Claude: ' +
    'only the image and fixed instructions are sent. The tracking number is cross-checked with `?barcode=` (what the device read) and the ' +
    "carriers' check digits; candidates come from this facility's directory. Operators and admins. 413 too large, 415 another type, " +
    '503 ai_unavailable (no key, switched off, unreachable, slower than 8 s, an unusable answer), 429 ai_cap_reached.',
  request: {
    query: aiLabelQuery,
    body: {
      content: { 'image/jpeg': { schema: z.any() }, 'image/png': { schema: z.any() } },
      required: true,
    },
  },
  responses: {
    200: json(aiLabelAnswer, 'The fields read, which to look at, and the closest recipients'),
    ...errors(400, 401, 403, 404, 409, 413, 415, 429, 503),
  },
});

const match = createRoute({
  method: 'post',
  path: '/api/ai/match',
  tags: ['ai'],
  description:
    "Picks which of up to 10 candidates (ids of this facility's recipients; others are dropped) is the name on a label. Claude sees the " +
    "name and the candidates' names under opaque ids (c1..c10), nothing else. Operators and admins.",
  request: jsonBody(aiMatchInput),
  responses: {
    200: json(aiMatchAnswer, 'The candidate who is the person, or null'),
    ...aiErrors,
  },
});

const search = createRoute({
  method: 'post',
  path: '/api/ai/search',
  tags: ['ai'],
  description:
    "Turns a plain-language question into the packages list's filter (validated; never SQL, always this facility) and answers its first page. " +
    "Claude sees the question, today's date and the facility's time zone. Admins and viewers. 503 ai_unavailable also when the model's " +
    'filter is refused (a field that does not exist, out of bounds) or it takes longer than 4 s.',
  request: jsonBody(aiSearchInput),
  responses: {
    200: json(aiSearchAnswer, 'The filter as applied, and the first page of packages'),
    ...aiErrors,
  },
});

export const aiRoutes = router()
  .openapi(label, async (c) => {
    const actor = await actorOf(c);
    const deps = c.get('deps');
    const answer = await readLabel(deps, actor, {
      contentType: c.req.header('content-type') ?? '',
      read: () => readBodyLimited(c, AI_LABEL_MAX_BYTES),
      barcode: c.req.valid('query').barcode,
    });
    c.header('cache-control', 'no-store');
    return c.json(answer, 200);
  })
  .openapi(match, async (c) => {
    c.header('cache-control', 'no-store');
    return c.json(await matchRecipient(c.get('deps'), await actorOf(c), c.req.valid('json')), 200);
  })
  .openapi(search, async (c) => {
    c.header('cache-control', 'no-store');
    return c.json(await searchPackages(c.get('deps'), await actorOf(c), c.req.valid('json')), 200);
  });
