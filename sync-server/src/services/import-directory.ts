// POST /api/directory/import (http-api.md "Directory"): a CSV of recipients, departments, locations
// and team members. The shared plan (src/lib/domain/directory-csv.ts, the same the browser previews
// with) decides each row against the directory as it is; the writes go through the shared mutators
// under the facility's version lock like a push (run-mutations.ts), so devices pull them. A dry run
// writes nothing; `atomic` writes nothing when any row is invalid; the same file twice changes
// nothing. Team members are invited through invite-member.ts (its quota applies) after the
// directory's rows committed.
import { decodeCsvBytes, parseDirectoryCsv, planImport, type CsvIssue, type EntryType } from '../../../src/lib/domain/directory-csv.ts';
import { checkMutation } from '../../../src/lib/domain/sync/mutators.ts';
import type { Deps } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { readDirectory, teamEmails } from '../repositories/directory.ts';
import { lockFacilityVersion, takeVersion } from '../repositories/sync.ts';
import { newId } from './ids.ts';
import { inviteMember } from './invite-member.ts';
import { authorize, type Actor } from './resolve-actor.ts';
import { runMutationBatch } from './run-mutations.ts';
import { assertWritable } from './sync-guards.ts';

/** Mutations the import makes belong to no device: their (unused) client id is the nil UUID. */
const IMPORT_CLIENT_ID = '00000000-0000-0000-0000-000000000000';

export interface ImportReport {
  total: number;
  valid: number;
  created: number;
  updated: number;
  errors: CsvIssue[];
}

export async function importDirectory(
  deps: Deps,
  actor: Actor,
  body: Uint8Array,
  opts: { dryRun: boolean; atomic: boolean; type?: EntryType },
): Promise<ImportReport> {
  authorize(actor, 'directory.manage');
  if (!opts.dryRun) await assertWritable(deps, actor);
  const file = parseDirectoryCsv(decodeCsvBytes(body));
  if (!file.rows.length) {
    const why = file.fileErrors[0]?.message ?? 'The file has a header row but no rows under it';
    throw new AppError(400, 'invalid_csv', why);
  }
  if (file.fileErrors.some((e) => /name the columns/.test(e.message))) throw new AppError(400, 'invalid_csv', file.fileErrors[0]!.message);

  const { report, invite } = await deps.db.withFacility(actor.facilityId, async (tx) => {
    // A real run reads the directory under the lock pushes take, so a person a device adds meanwhile
    // is matched, not duplicated.
    if (!opts.dryRun) await lockFacilityVersion(tx, actor.facilityId);
    const plan = planImport(file, await readDirectory(tx, actor.facilityId), newId, opts.type);
    const team = await teamEmails(tx, actor.facilityId);
    const report: ImportReport = {
      total: plan.total,
      valid: plan.valid,
      created: plan.created,
      updated: plan.updated,
      errors: plan.errors,
    };
    const invite = plan.members.filter((m) => !team.invited.has(m.email) && !team.members.some((x) => x.email === m.email));
    report.created += invite.length;
    if (opts.dryRun || (opts.atomic && report.errors.length)) return { report: opts.dryRun ? report : nothingWritten(report), invite: [] };
    if (!plan.mutations.length) return { report, invite };

    const batch = plan.mutations.map((m) => ({ id: m.line, name: m.name, args: m.args, clientTime: new Date().toISOString() }));
    const checks = new Map(batch.map((m) => [m.id, checkMutation(m, actor.role)]));
    const version = await takeVersion(tx, actor.facilityId);
    const outcome = await runMutationBatch(tx, actor.facilityId, version, batch, checks, {
      actor: { id: actor.user.id, role: actor.role },
      clientId: IMPORT_CLIENT_ID,
      now: new Date().toISOString(),
    });
    // The plan checked what the mutators check, so a refusal here means the directory changed in a
    // way the plan could not see; report it on its row (or undo everything when asked to).
    for (const r of outcome.rejections) {
      if (opts.atomic) throw new AppError(409, 'conflict', `Line ${r.mutationId}: ${r.message}; nothing was imported`);
      const planned = plan.mutations.find((m) => m.line === r.mutationId)!;
      const was = plan.rows.find((x) => x.line === r.mutationId)?.action;
      if (was === 'create') report.created--;
      else report.updated--;
      report.valid--;
      report.errors.push({ line: planned.line, message: r.message });
    }
    report.errors.sort((a, b) => a.line - b.line);
    return { report, invite };
  });

  for (const m of invite) {
    try {
      await inviteMember(deps, actor.user, { email: m.email, role: m.role, facilityId: actor.facilityId });
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      report.created--;
      report.valid--;
      report.errors.push({ line: m.line, message: `Not invited: ${e.message}` });
    }
  }
  report.errors.sort((a, b) => a.line - b.line);
  return report;
}

const nothingWritten = (r: ImportReport): ImportReport => ({ ...r, created: 0, updated: 0 });
