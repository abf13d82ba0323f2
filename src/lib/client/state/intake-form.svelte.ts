// The receive form's state (style.md habit 11): what is typed, what is wrong with it in words, the
// duplicate warning, saving (the package, its photo and a recipient created on the spot in one
// transaction), rapid mode and undo. The page only lays it out.
/* eslint-disable svelte/prefer-svelte-reactivity -- the Dates here are timestamps taken once, not state */
import { cleanTrackingNumber, recogniseTracking, type CarrierId } from '../../domain/carriers';
import { internalPackageId } from '../../domain/facility-code';
import { formProblems, maxLengths } from '../../domain/form-problems';
import { mutationArgs } from '../../domain/sync/mutations';
import type { RecipientRow } from '../../domain/sync/rows';
import { trackingNumberProblem } from '../../domain/tracking-number';
import { findDuplicates, getRecipient, recordShiftEntry, type PossibleDuplicate } from '../db/intake';
import type { MutationStep, PreparedBlob } from '../db/outbox';
import type { SyncEngine } from '../sync/engine';
import { prepareBlob } from '../sync/hash';
import { userMessage } from './errors';

const receiveSchema = mutationArgs['package.receive.v2'];
export const FIELD_LABELS = {
  trackingNumber: 'Tracking number',
  recipientName: 'Recipient',
  sender: 'Sender',
  notes: 'Notes',
  shelf: 'Shelf',
} as const;
export type IntakeField = keyof typeof FIELD_LABELS;
/** maxlength of each field, read from the mutation's schema (the server's limits). */
export const FIELD_MAX = maxLengths(receiveSchema, FIELD_LABELS);

export const NOT_IN_DIRECTORY = 'Not in the directory: pick a match or create';

export class IntakeForm {
  tracking = $state('');
  carrier = $state<CarrierId | ''>('');
  carrierTouched = $state(false);
  recipientName = $state('');
  recipient = $state.raw<RecipientRow | null>(null);
  sender = $state('');
  locationId = $state('');
  shelf = $state('');
  notes = $state('');
  perishable = $state(false);
  needsSignature = $state(false);
  photo = $state.raw<Blob | null>(null);
  /** Rapid mode: Enter on a recipient saves, and the form returns to the scanner. */
  rapid = $state(false);
  /** Keep location, shelf and flags from one package to the next (a batch for one place). */
  sticky = $state(false);

  saving = $state(false);
  error = $state<string | null>(null);
  saved = $state<string | null>(null);
  /** Problems are shown once a person left the field or tried to save. */
  touched = $state<Partial<Record<IntakeField, boolean>>>({});
  duplicates = $state.raw<PossibleDuplicate[]>([]);

  /** Every field's problem in words (shared schema limits, the tracking-number rule). */
  problems: Partial<Record<IntakeField, string>> = $derived.by(() => {
    const p = formProblems(receiveSchema, this.args('00000000-0000-4000-8000-000000000000'), FIELD_LABELS);
    if (!p.recipientName && this.recipientName.trim() && !this.recipient) p.recipientName = NOT_IN_DIRECTORY;
    const t = this.tracking.trim() ? trackingNumberProblem(this.tracking) : null;
    if (t && !p.trackingNumber) p.trackingNumber = t;
    return p;
  });

  dirty = $derived(
    !!(this.tracking.trim() || this.recipientName.trim() || this.sender.trim() || this.notes.trim() || this.photo) && !this.saving,
  );

  private duplicateRun = 0;

  constructor(
    private readonly engine: SyncEngine,
    private readonly facilityCode: string | null,
    /** Directory entries with exactly this name (the picker's index). */
    private readonly withName: (name: string) => RecipientRow[] = () => [],
  ) {}

  private valueOf(field: IntakeField): string {
    const values: Record<IntakeField, string> = {
      trackingNumber: this.tracking,
      recipientName: this.recipientName,
      sender: this.sender,
      notes: this.notes,
      shelf: this.shelf,
    };
    return values[field];
  }

  /**
   * What to say under a field: its length limit once reached (the browser cuts what is pasted or
   * scanned beyond `maxlength` without a word, so the form says it), else its problem once the
   * person left the field or tried to save.
   */
  message(field: IntakeField): string | undefined {
    const max = FIELD_MAX[field];
    const length = [...this.valueOf(field)].length;
    if (max && length > max) return this.problems[field];
    if (max && length === max) return `${FIELD_LABELS[field]} is at most ${max} characters: anything longer was cut off`;
    return this.touched[field] ? this.problems[field] : undefined;
  }

  /** What is saved as the tracking number: a label's longer barcode reduced to the real number. */
  get trackingNumber(): string {
    return recogniseTracking(this.tracking)?.trackingNumber ?? cleanTrackingNumber(this.tracking);
  }

  /** The tracking number changed (typed or scanned): the carrier follows it until a person picks one. */
  trackingChanged() {
    if (!this.carrierTouched) this.carrier = recogniseTracking(this.tracking)?.carrier ?? (this.tracking.trim() ? 'other' : '');
    void this.checkDuplicates();
  }

  /** A scan (wedge or camera) starts a package: the reduced number and its carrier. */
  startFromScan(code: string) {
    const found = recogniseTracking(code);
    this.tracking = found?.trackingNumber ?? cleanTrackingNumber(code);
    this.carrier = found?.carrier ?? 'other';
    this.carrierTouched = false;
    this.saved = null;
    this.error = null;
    void this.checkDuplicates();
  }

  /** A package without a barcode: an internal id from the facility code. */
  useInternalId() {
    if (!this.facilityCode) return void (this.error = 'This facility has no code to build an internal id from');
    this.tracking = internalPackageId(this.facilityCode, new Date(), (n) => crypto.getRandomValues(new Uint32Array(1))[0]! % n);
    this.carrier = 'other';
    this.carrierTouched = true;
    void this.checkDuplicates();
  }

  pickRecipient(r: RecipientRow) {
    this.recipient = r;
    this.recipientName = r.name;
    // The recipient's default location is proposed, unless one was chosen for this package.
    if (r.defaultLocationId && !this.locationId) this.locationId = r.defaultLocationId;
  }

  /** Typing in the recipient field unlinks the person picked before. */
  recipientTyped() {
    if (this.recipient && this.recipient.name !== this.recipientName) this.recipient = null;
  }

  async checkDuplicates() {
    const run = ++this.duplicateRun;
    const number = this.trackingNumber;
    const found = number && !trackingNumberProblem(number) ? await findDuplicates(this.engine.db, number) : [];
    if (run === this.duplicateRun) this.duplicates = found;
  }

  private args(id: string) {
    return {
      id,
      trackingNumber: this.trackingNumber,
      carrier: this.carrier || 'other',
      recipientId: this.recipient?.id ?? null,
      recipientName: this.recipientName.trim(),
      sender: this.sender.trim() || null,
      locationId: this.locationId || null,
      shelf: this.shelf.trim() || null,
      notes: this.notes.trim() || null,
      perishable: this.perishable,
      needsSignature: this.needsSignature,
      receivedAt: new Date().toISOString(),
    };
  }

  /**
   * Saves the package (and its photo) in one transaction. Returns the first field with a problem
   * instead when there is one, so the page can put the focus there.
   */
  async save(): Promise<{ ok: true; id: string } | { ok: false; field?: IntakeField }> {
    if (this.saving) return { ok: false };
    this.error = null;
    this.saved = null;
    this.touched = { trackingNumber: true, recipientName: true, sender: true, notes: true, shelf: true };
    // A name typed whole that is exactly one person is that person, picked or not.
    if (!this.recipient && this.recipientName.trim()) {
      const same = this.withName(this.recipientName);
      if (same.length === 1) this.pickRecipient(same[0]!);
    }
    if (!this.tracking.trim()) return { ok: false, field: 'trackingNumber' };
    const first = (Object.keys(FIELD_LABELS) as IntakeField[]).find((f) => this.problems[f]);
    if (first) return { ok: false, field: first };
    this.saving = true;
    try {
      const id = crypto.randomUUID();
      const args = this.args(id);
      const photo: PreparedBlob | null = this.photo ? await prepareBlob(this.photo, 'intake') : null;
      const steps: MutationStep[] = [{ name: 'package.receive.v2', args }];
      if (photo) steps.push({ name: 'package.attachPhoto', args: { id, hash: photo.hash, kind: 'intake' }, blobs: [photo] });
      // The shift's list entry commits with the package: one transaction, one refresh of the screen.
      await this.engine.mutateAll(steps, () =>
        recordShiftEntry(this.engine.db, this.engine.actor.userId, {
          id,
          trackingNumber: args.trackingNumber,
          carrier: args.carrier,
          recipientName: args.recipientName,
          photoHash: photo?.hash ?? null,
          savedAt: new Date().toISOString(),
        }),
      );
      this.saved = `Saved ${args.trackingNumber} for ${args.recipientName}`;
      this.reset();
      return { ok: true, id };
    } catch (e) {
      this.error = userMessage(e);
      return { ok: false };
    } finally {
      this.saving = false;
    }
  }

  /** Creates a recipient on the spot (synced as recipient.upsert) and picks them. */
  async createRecipient(input: { name: string; email: string; employeeId: string; departmentId: string }): Promise<RecipientRow> {
    const id = crypto.randomUUID();
    await this.engine.mutate('recipient.upsert', {
      id,
      name: input.name.trim(),
      email: input.email.trim() || null,
      employeeId: input.employeeId.trim() || null,
      departmentId: input.departmentId || null,
    });
    const row = await getRecipient(this.engine.db, id);
    if (!row) throw new Error('The new recipient was not saved');
    this.pickRecipient(row);
    return row;
  }

  async undo(id: string) {
    this.error = null;
    try {
      await this.engine.mutate('package.undoReceive', { id });
      this.saved = 'Undone: the last package was taken back';
    } catch (e) {
      this.error = userMessage(e);
    }
  }

  /** Ready for the next package; location, shelf and flags stay when sticky. */
  reset() {
    this.tracking = '';
    this.carrier = '';
    this.carrierTouched = false;
    this.recipientName = '';
    this.recipient = null;
    this.sender = '';
    this.notes = '';
    this.photo = null;
    this.duplicates = [];
    this.touched = {};
    if (!this.sticky) {
      this.locationId = '';
      this.shelf = '';
      this.perishable = false;
      this.needsSignature = false;
    }
  }

  /** Discards what was typed (after the person said so). */
  discard() {
    this.reset();
    this.saved = null;
    this.error = null;
  }
}
