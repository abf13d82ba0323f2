// GET /api/exports/packages.csv: the package history of the active facility, received within a
// range of the facility's own days, as a CSV streamed from a database cursor. Every member may
// export (package.read), read-only facilities too: an export changes nothing.
import { exportFileName, type ExportOptions, type ExportRange } from '../../../src/lib/domain/package-export.ts';
import { localDate, nextDate, startOfLocalDay } from '../../../src/lib/domain/zoned-time.ts';
import type { Deps } from '../context.ts';
import { openPackageExport, type PackageExportCursor } from '../repositories/package-export.ts';
import { authorize, type Actor } from './resolve-actor.ts';

export interface PackageExport {
  fileName: string;
  options: ExportOptions;
  cursor: PackageExportCursor;
}

export async function startPackageExport(deps: Deps, actor: Actor, q: ExportRange & { hashes: boolean }): Promise<PackageExport> {
  authorize(actor, 'package.read');
  const timeZone = actor.facility.timezone;
  const range = {
    start: q.from ? startOfLocalDay(q.from, timeZone) : null,
    end: q.to ? startOfLocalDay(nextDate(q.to), timeZone) : null,
  };
  const cursor = await openPackageExport(deps.db, actor.facilityId, range, { hashes: q.hashes });
  return {
    fileName: exportFileName(actor.facility.code, q, localDate(new Date(), timeZone)),
    options: { timeZone, origin: deps.env.PUBLIC_ORIGIN, hashes: q.hashes },
    cursor,
  };
}
