// The shared mutators' MutationStore over the device's row tables (mutators.ts). Used inside a rw
// transaction only: by `enqueueMutation` (the optimistic write) and by the rebase (re-running the
// pending mutations). Before a row is first written it saves the confirmed version in `base`, so
// the next rebase can put it back exactly (schema.ts explains the two layers).
import type { MutationStore } from '../../domain/sync/mutators';
import type {
  AttachmentRow,
  DepartmentRow,
  LocationRow,
  PackageEventRow,
  PackageRow,
  RecipientRow,
  SyncedTable,
} from '../../domain/sync/rows';
import { getHandOffSettings, getNotificationDefaults } from './meta';
import { packagesWithStatus, toLocal, type PtpDb } from './schema';
import type { DigestCollector } from './search-digest';

export const baseKey = (table: SyncedTable, id: string) => `${table}:${id}`;

export class DexieMutationStore implements MutationStore {
  /** `digest` collects every package row written, for the search digest (the caller flushes it). */
  constructor(
    private readonly db: PtpDb,
    private readonly digest: DigestCollector,
  ) {}

  private async write(table: SyncedTable, row: { id: string }) {
    const key = baseKey(table, row.id);
    if (!(await this.db.base.get(key))) {
      const current = await this.db.rowTable(table).get(row.id);
      await this.db.base.put({ key, table, id: row.id, row: (current as Record<string, unknown> | undefined) ?? null });
    }
    await this.db.rowTable(table).put(toLocal(table, row as unknown as Record<string, unknown>));
    if (table === 'packages') this.digest.add(row as unknown as PackageRow);
  }

  async getPackage(id: string): Promise<PackageRow | undefined> {
    return this.db.packages.get(id);
  }
  putPackage(row: PackageRow) {
    return this.write('packages', row);
  }
  async getRecipient(id: string): Promise<RecipientRow | undefined> {
    return this.db.recipients.get(id);
  }
  putRecipient(row: RecipientRow) {
    return this.write('recipients', row);
  }
  addEvent(row: PackageEventRow) {
    return this.write('packageEvents', row);
  }
  async putAttachment(row: AttachmentRow) {
    // "Adds or keeps the attachment with this (packageId, hash, kind)" — as the server's store does.
    const existing = await this.db.attachments.where('[packageId+hash+kind]').equals([row.packageId, row.hash, row.kind]).first();
    if (!existing) await this.write('attachments', row);
  }
  async getLocation(id: string) {
    return this.db.locations.get(id);
  }
  async getDepartment(id: string) {
    return this.db.departments.get(id);
  }
  putLocation(row: LocationRow) {
    return this.write('locations', row);
  }
  putDepartment(row: DepartmentRow) {
    return this.write('departments', row);
  }
  async openPackagesOf(recipientId: string): Promise<PackageRow[]> {
    // Open packages are few next to the history; the status index narrows the scan to them.
    const mine = (p: PackageRow) => p.recipientId === recipientId && !p.deletedAt;
    const [received, held] = await Promise.all([
      packagesWithStatus(this.db, 'received').filter(mine).toArray(),
      packagesWithStatus(this.db, 'held').filter(mine).toArray(),
    ]);
    return [...received, ...held];
  }
  handOffSettings() {
    return getHandOffSettings(this.db);
  }
  notificationDefaults() {
    return getNotificationDefaults(this.db);
  }
  async isBlobUploaded(hash: string) {
    const blob = await this.db.blobs.get(hash);
    if (blob) return blob.state === 'uploaded';
    return (
      (await this.db.attachments
        .where('hash')
        .equals(hash)
        .filter((a) => a.uploaded)
        .count()) > 0
    );
  }
}
