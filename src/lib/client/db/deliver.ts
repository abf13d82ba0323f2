// What the Deliver screen reads: the device's open packages (received and held) and the directory
// rows that name their recipients, departments and locations. Read from IndexedDB only, so the
// screen works with no network; the liveQuery twin follows pulls and this device's own hand-offs.
import { liveQuery, type Observable } from 'dexie';
import type { DepartmentRow, LocationRow, RecipientRow } from '../../domain/sync/rows';
import type { LocalPackage, PtpDb } from './schema';

export interface Deliverables {
  packages: LocalPackage[];
  recipients: RecipientRow[];
  departments: DepartmentRow[];
  locations: LocationRow[];
}

const live = (r: { deletedAt: string | null }) => !r.deletedAt;

export async function loadDeliverables(db: PtpDb): Promise<Deliverables> {
  return db.transaction('r', [db.packages, db.recipients, db.departments, db.locations], async () => {
    const [received, held] = await Promise.all(
      (['received', 'held'] as const).map((s) => db.packages.where('[status+receivedAt]').between([s, ''], [s, '\uffff']).toArray()),
    );
    const packages = [...received!, ...held!].filter(live);
    const ids = [...new Set(packages.map((p) => p.recipientId).filter((id): id is string => !!id))];
    const [recipients, departments, locations] = await Promise.all([
      db.recipients.bulkGet(ids),
      db.departments.filter(live).toArray(),
      db.locations.filter(live).toArray(),
    ]);
    return { packages, recipients: recipients.filter((r): r is NonNullable<typeof r> => !!r && live(r)), departments, locations };
  });
}

export const watchDeliverables = (db: PtpDb): Observable<Deliverables> => liveQuery(() => loadDeliverables(db));
