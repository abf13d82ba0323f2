// The server's MutationStore for one push: the rows the batch touches are loaded up front in a few
// queries, the shared mutators run in memory in arrival order, and the effects are written at the
// end in bulk. A rejected mutation's staged writes are dropped (the mutators check before they
// write, and this store stages per mutation as a second guarantee).
import type { NotificationDefaults } from '../../../src/lib/domain/facility-settings.ts';
import type { HandOffSettings } from '../../../src/lib/domain/handoff.ts';
import type { MutationStore } from '../../../src/lib/domain/sync/mutators.ts';
import type {
  AttachmentRow,
  DepartmentRow,
  LocationRow,
  PackageEventRow,
  PackageRow,
  RecipientRow,
} from '../../../src/lib/domain/sync/rows.ts';
import type { SyncWrites } from '../repositories/sync.ts';

export class BatchStore implements MutationStore {
  private packages = new Map<string, PackageRow>();
  private recipients = new Map<string, RecipientRow>();
  /** Ids used by another facility: reads see a row there, so creates are refused. */
  private foreign = new Set<string>();
  private uploaded: Set<string>;
  private locations = new Map<string, LocationRow>();
  private departments = new Map<string, DepartmentRow>();
  private loadSettings: () => Promise<HandOffSettings>;
  private settings?: Promise<HandOffSettings>;
  private loadDefaults: () => Promise<NotificationDefaults>;
  private defaults?: Promise<NotificationDefaults>;

  private staged = emptyWrites();
  private committed = emptyWrites();

  constructor(init: {
    packages: PackageRow[];
    recipients: RecipientRow[];
    locations?: LocationRow[];
    departments?: DepartmentRow[];
    foreignIds: Set<string>;
    uploadedHashes: Set<string>;
    /** Read once, when a mutation first asks (most batches never do). */
    handOffSettings: () => Promise<HandOffSettings>;
    notificationDefaults: () => Promise<NotificationDefaults>;
  }) {
    this.loadSettings = init.handOffSettings;
    this.loadDefaults = init.notificationDefaults;
    for (const p of init.packages) this.packages.set(p.id, p);
    for (const r of init.recipients) this.recipients.set(r.id, r);
    for (const l of init.locations ?? []) this.locations.set(l.id, l);
    for (const d of init.departments ?? []) this.departments.set(d.id, d);
    this.foreign = init.foreignIds;
    this.uploaded = init.uploadedHashes;
  }

  async getPackage(id: string) {
    const row = this.staged.packages.get(id) ?? this.packages.get(id);
    if (row) return row;
    return this.foreign.has(id) ? FOREIGN_PACKAGE : undefined;
  }
  async putPackage(row: PackageRow) {
    this.staged.packages.set(row.id, row);
  }
  /** Only this facility's rows were loaded (RLS too); an id another facility uses reads as deleted. */
  async getLocation(id: string) {
    return this.staged.locations.get(id) ?? this.locations.get(id) ?? (this.foreign.has(id) ? FOREIGN_LOCATION : undefined);
  }
  async getDepartment(id: string) {
    return this.staged.departments.get(id) ?? this.departments.get(id) ?? (this.foreign.has(id) ? FOREIGN_DEPARTMENT : undefined);
  }
  async putLocation(row: LocationRow) {
    this.staged.locations.set(row.id, row);
  }
  async putDepartment(row: DepartmentRow) {
    this.staged.departments.set(row.id, row);
  }
  /** The batch preloaded every open package of the recipients it merges (apply-push.ts). */
  async openPackagesOf(recipientId: string) {
    const all = new Map([...this.packages, ...this.staged.packages]);
    return [...all.values()].filter(
      (p) => p.recipientId === recipientId && !p.deletedAt && (p.status === 'received' || p.status === 'held'),
    );
  }
  async getRecipient(id: string) {
    return this.staged.recipients.get(id) ?? this.recipients.get(id) ?? (this.foreign.has(id) ? FOREIGN_RECIPIENT : undefined);
  }
  async putRecipient(row: RecipientRow) {
    this.staged.recipients.set(row.id, row);
  }
  async addEvent(row: PackageEventRow) {
    this.staged.events.push(row);
  }
  async putAttachment(row: AttachmentRow) {
    const key = `${row.packageId}|${row.hash}|${row.kind}`;
    this.staged.attachments.set(key, this.committed.attachments.get(key) ?? row);
  }
  async isBlobUploaded(hash: string) {
    return this.uploaded.has(hash);
  }
  handOffSettings() {
    return (this.settings ??= this.loadSettings());
  }
  notificationDefaults() {
    return (this.defaults ??= this.loadDefaults());
  }

  /** The mutation applied: its writes become the batch's. */
  commit() {
    for (const [id, row] of this.staged.packages) {
      this.packages.set(id, row);
      this.committed.packages.set(id, row);
    }
    for (const [id, row] of this.staged.recipients) {
      this.recipients.set(id, row);
      this.committed.recipients.set(id, row);
    }
    for (const [id, row] of this.staged.locations) {
      this.locations.set(id, row);
      this.committed.locations.set(id, row);
    }
    for (const [id, row] of this.staged.departments) {
      this.departments.set(id, row);
      this.committed.departments.set(id, row);
    }
    this.committed.events.push(...this.staged.events);
    for (const [k, row] of this.staged.attachments) this.committed.attachments.set(k, row);
    this.rollback();
  }

  /** The mutation was rejected: nothing it staged survives. */
  rollback() {
    this.staged = emptyWrites();
  }

  writes(): SyncWrites {
    return {
      packages: [...this.committed.packages.values()],
      recipients: [...this.committed.recipients.values()],
      departments: [...this.committed.departments.values()],
      locations: [...this.committed.locations.values()],
      events: this.committed.events,
      attachments: [...this.committed.attachments.values()],
    };
  }

  /** Packages whose deletion this batch committed (their photos leave storage after commit). */
  deletedPackageIds(): string[] {
    return [...this.committed.packages.values()].filter((p) => p.deletedAt).map((p) => p.id);
  }
}

const emptyWrites = () => ({
  packages: new Map<string, PackageRow>(),
  recipients: new Map<string, RecipientRow>(),
  departments: new Map<string, DepartmentRow>(),
  locations: new Map<string, LocationRow>(),
  events: [] as PackageEventRow[],
  attachments: new Map<string, AttachmentRow>(),
});

// Stand-ins for rows another facility owns: present (so a create is refused) and deleted (so no
// other mutator can act on them). Never written: a rejected mutation's writes are dropped.
const FOREIGN_PACKAGE = { id: '', deletedAt: 'foreign' } as PackageRow;
const FOREIGN_RECIPIENT = { id: '', deletedAt: 'foreign' } as RecipientRow;
const FOREIGN_LOCATION = { id: '', deletedAt: 'foreign' } as LocationRow;
const FOREIGN_DEPARTMENT = { id: '', deletedAt: 'foreign' } as DepartmentRow;
