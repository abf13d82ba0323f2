// GET /api/directory/export.csv and template.csv: the directory as one CSV with a `type` column,
// in the columns the import reads, so an export imports back into the same facility unchanged.
import { templateCsv, toCsv, type CsvRecord, type EntryType } from '../../../src/lib/domain/directory-csv.ts';
import type { Deps } from '../context.ts';
import { readDirectory, teamEmails } from '../repositories/directory.ts';
import { authorize, type Actor } from './resolve-actor.ts';

export async function exportDirectory(deps: Deps, actor: Actor): Promise<string> {
  authorize(actor, 'directory.manage');
  const { dir, team } = await deps.db.withFacility(actor.facilityId, async (tx) => ({
    dir: await readDirectory(tx, actor.facilityId),
    team: await teamEmails(tx, actor.facilityId),
  }));
  const departments = new Map(dir.departments.map((d) => [d.id, d.name]));
  const locations = new Map(dir.locations.map((l) => [l.id, l.name]));
  const records: CsvRecord[] = [
    ...dir.departments.map((d) => ({ type: 'department', name: d.name })),
    ...dir.locations.map((l) => ({ type: 'location', ...l })),
    ...dir.recipients.map((r) => ({
      type: 'recipient',
      ...r,
      // A removed department or location is not in the directory any more: left out.
      department: r.departmentId ? departments.get(r.departmentId) : null,
      defaultLocation: r.defaultLocationId ? locations.get(r.defaultLocationId) : null,
    })),
    ...team.members.map((m) => ({ type: 'team member', name: m.name, email: m.email, role: m.role })),
  ];
  return toCsv(records);
}

export function directoryTemplate(actor: Actor, type?: EntryType): string {
  authorize(actor, 'directory.manage');
  return templateCsv(type);
}
