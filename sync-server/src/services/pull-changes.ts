// POST /api/sync/pull (sync-protocol.md "Pull"): the rows that changed after the client's cookie,
// in pages ordered by (version, table, id), with lastMutationId read in the same snapshot.
// A cookie from another database epoch, from before the tombstone horizon, or from a version the
// database has not reached ("servers don't go back in time") starts over: `clear` + full snapshot.
import { z } from 'zod';
import type { PatchOp, PullRequest, PullResponse } from '../../../src/lib/domain/sync/protocol.ts';
import type { Deps } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { PULL_TABLES, readChanges, readLastMutationId, readSyncState } from '../repositories/sync.ts';
import type { Actor } from './resolve-actor.ts';

/** Versions are Postgres integers. */
const MAX_VERSION = 2_147_483_647;
import { checkSyncRequest } from './sync-guards.ts';

/**
 * Where a client is: a database epoch, a position (version, table index, row id) and `s` while a
 * snapshot is still being sent. Everything in a cookie came from a client, so it is validated as
 * strictly as any other input: a malformed one is 400 `invalid_cursor`, never a query error.
 */
const cookieSchema = z.strictObject({
  e: z.string().uuid(),
  v: z.number().int().min(0).max(MAX_VERSION),
  t: z.number().int().min(0).max(PULL_TABLES.length),
  i: z.union([z.literal(''), z.string().uuid()]),
  s: z.literal(1).optional(),
  /** The facility's version when the snapshot started: rows deleted after it are sent as `del`. */
  sv: z.number().int().min(0).max(MAX_VERSION).optional(),
});
type Cookie = z.infer<typeof cookieSchema>;

const encode = (c: Cookie) => Buffer.from(JSON.stringify(c)).toString('base64url');

function decode(raw: string): Cookie {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    json = undefined;
  }
  const parsed = cookieSchema.safeParse(json);
  if (!parsed.success) throw new AppError(400, 'invalid_cursor', 'The sync cookie is not one this server issued');
  return parsed.data;
}

export async function pullChanges(deps: Deps, actor: Actor, req: PullRequest, pageSize: number): Promise<PullResponse> {
  checkSyncRequest(actor, req);
  const given = req.cookie === null ? null : decode(req.cookie);

  return deps.db.withFacility(
    req.facilityId,
    async (tx) => {
      const state = await readSyncState(tx, req.facilityId);
      const lastMutationId = await readLastMutationId(tx, req.facilityId, req.clientId, actor.user.id);
      if (lastMutationId === 'foreign') throw new AppError(403, 'client_mismatch', 'This clientId belongs to another user');

      const restart =
        given === null || given.e !== state.epoch || given.v > state.syncVersion || (!given.s && given.v < state.tombstoneHorizon);
      const from: Cookie = restart ? { e: state.epoch, v: 0, t: 0, i: '', s: 1, sv: state.syncVersion } : given!;
      const snapshot = Boolean(from.s);
      // A row deleted while a device pages through a snapshot may have reached it on an earlier
      // page: its tombstone (version above the snapshot's start) goes out as `del`.
      const sendDeletesAbove = snapshot ? (from.sv ?? 0) : -1;

      const rows = await readChanges(tx, req.facilityId, { version: from.v, table: from.t, id: from.i }, pageSize + 1);
      const more = rows.length > pageSize;
      const page = more ? rows.slice(0, pageSize) : rows;

      const patch: PatchOp[] = restart && given !== null ? [{ op: 'clear' }] : [];
      for (const r of page) {
        const table = PULL_TABLES[r.t]!.table;
        if (r.deleted) {
          // A fresh snapshot leaves out rows deleted before it started; an incremental pull, and a
          // snapshot for a row deleted while it was being paged, sends the tombstone.
          if (r.version > sendDeletesAbove) patch.push({ op: 'del', table, id: r.id });
        } else {
          patch.push({ op: 'put', table, id: r.id, row: r.row });
        }
      }
      const lastRow = page[page.length - 1];
      const next: Cookie = more
        ? {
            e: state.epoch,
            v: lastRow!.version,
            t: lastRow!.t,
            i: lastRow!.id,
            ...(snapshot ? { s: 1 as const, sv: from.sv ?? 0 } : {}),
          }
        : { e: state.epoch, v: state.syncVersion, t: PULL_TABLES.length, i: '' };
      return { cookie: encode(next), lastMutationId, more, patch };
    },
    { isolationLevel: 'RepeatableRead' },
  );
}
