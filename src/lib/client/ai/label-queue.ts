// Label crops taken offline (issue 12): kept on the device in their own small IndexedDB database,
// one per facility, and read by Claude when the network returns; meanwhile the operator finishes
// the package from the barcode. The crop's bytes are dropped as soon as it is read (the reading is
// kept until the operator has used or dismissed it), and sign-out forgets the whole queue.
import Dexie, { type EntityTable } from 'dexie';
import type { AiLabelAnswer } from '../../domain/ai';

export interface QueuedLabel {
  id: string;
  /** When the crop was taken. */
  at: string;
  /** The crop (JPEG), until it is read. */
  bytes: ArrayBuffer | null;
  type: string;
  /** The barcode the device read from the same label, for the server's cross-check. */
  barcode: string | null;
  /** The intake form's package this label belongs to while it is being entered. */
  draftId: string;
  /** The package it was saved as, once saved. */
  packageId: string | null;
  /** The tracking number the form had when the label was taken (to say which package it is). */
  trackingNumber: string | null;
  state: 'queued' | 'read' | 'failed';
  answer: AiLabelAnswer | null;
  /** Why it could not be read, in words. */
  problem: string | null;
}

const PREFIX = 'ptp-labels-';

export class LabelQueueDb extends Dexie {
  labels!: EntityTable<QueuedLabel, 'id'>;
  constructor(facilityId: string, options?: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange }) {
    super(`${PREFIX}${facilityId}`, options);
    this.version(1).stores({ labels: 'id, state, draftId, at' });
  }
}

export class LabelQueue {
  constructor(readonly db: LabelQueueDb) {}

  async add(crop: Blob, entry: Pick<QueuedLabel, 'barcode' | 'draftId' | 'trackingNumber'>): Promise<QueuedLabel> {
    const row: QueuedLabel = {
      id: crypto.randomUUID(),
      at: new Date().toISOString(),
      bytes: await crop.arrayBuffer(),
      type: crop.type || 'image/jpeg',
      packageId: null,
      state: 'queued',
      answer: null,
      problem: null,
      ...entry,
    };
    await this.db.labels.add(row);
    return row;
  }

  /** Crops waiting to be read, oldest first. */
  waiting(): Promise<QueuedLabel[]> {
    return this.db.labels.where('state').equals('queued').sortBy('at');
  }

  /** Everything the screen lists (waiting, read, failed), oldest first. */
  all(): Promise<QueuedLabel[]> {
    return this.db.labels.orderBy('at').toArray();
  }

  crop(row: QueuedLabel): Blob | null {
    return row.bytes ? new Blob([row.bytes], { type: row.type }) : null;
  }

  /** The reading arrived: the crop's bytes go, the answer stays until used. */
  async read(id: string, answer: AiLabelAnswer) {
    await this.db.labels.update(id, { state: 'read', answer, bytes: null, problem: null });
  }

  async failed(id: string, problem: string) {
    await this.db.labels.update(id, { state: 'failed', bytes: null, problem });
  }

  /** The form's package was saved: its queued labels now belong to that package. */
  async saved(draftId: string, packageId: string, trackingNumber: string) {
    await this.db.labels.where('draftId').equals(draftId).modify({ packageId, trackingNumber });
  }

  remove(id: string) {
    return this.db.labels.delete(id);
  }
}

/** Forgets every facility's queued labels on this device (sign-out). */
export async function forgetLabelQueues(): Promise<void> {
  const names = (await Dexie.getDatabaseNames?.()) ?? [];
  await Promise.all(names.filter((n) => n.startsWith(PREFIX)).map((n) => Dexie.delete(n)));
}
