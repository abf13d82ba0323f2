// "Read label" at the intake desk (issue 12), the state behind the receive screen's label reading:
// the crop goes to Claude (POST /api/ai/label) when AI is on and the device online; the answer
// fills the form — tracking number, carrier, sender, and the recipient through local fuzzy matching
// first and POST /api/ai/match only when that is ambiguous — and marks the fields to look at.
// Nothing is saved here: the operator saves. Without AI, offline, or when Claude fails, the
// device's own path stands (the barcode read on the device gives the tracking number and carrier,
// the recipient is picked with the local fuzzy search); a crop taken offline is queued and read
// when the network returns, and its reading is then offered to the still-open form, or shown
// beside the package it was saved as.
import type { AiLabelAnswer, LabelField } from '../../domain/ai';
import { CARRIERS, type CarrierId } from '../../domain/carriers';
import { decideRecipient } from '../../domain/label-match';
import { ApiError, api } from '../api';
import type { DirectoryIndex } from '../state/directory-index.svelte';
import { FIELD_MAX, type IntakeForm } from '../state/intake-form.svelte';
import { aiEnabled, fallbackReason, online } from './availability';
import type { LabelCapture } from './label-capture';
import type { LabelQueue, QueuedLabel } from './label-queue';

export type LabelPath = { by: 'claude' | 'device' | 'queued'; why?: string };

const isCarrier = (c: string | null): c is CarrierId => !!c && CARRIERS.some((k) => k.id === c);

export class LabelReader {
  busy = $state(false);
  /** Which path filled the form last, said on screen. */
  path = $state<LabelPath | null>(null);
  /** Fields the operator should look at before saving. */
  review = $state<LabelField[]>([]);
  /** How the recipient was found, in words. */
  recipientNote = $state<string | null>(null);
  /** Queued labels and their late readings. */
  late = $state.raw<QueuedLabel[]>([]);
  /** The package being entered (queued labels taken for it can fill it later). */
  draftId = $state(crypto.randomUUID());

  private draining = false;

  constructor(
    private readonly form: IntakeForm,
    private readonly directory: DirectoryIndex,
    private readonly queue: LabelQueue | null,
  ) {
    void this.refresh();
  }

  /** The operator asked to read the label in view. `barcode` is what the device read from it, if anything. */
  async read(capture: LabelCapture, barcode: string | null) {
    if (this.busy) return;
    // The device's own reading first: the barcode fills the tracking number and carrier at once.
    if (barcode && !this.form.tracking.trim()) this.form.startFromScan(barcode);
    if (!aiEnabled()) return this.device(barcode, 'AI is off for this facility');
    if (!online()) return this.enqueue(capture.crop, barcode, 'Offline');
    this.busy = true;
    try {
      await this.apply(await api.aiLabel(capture.crop, barcode));
      this.path = { by: 'claude' };
    } catch (e) {
      if (e instanceof ApiError && e.code === 'offline') await this.enqueue(capture.crop, barcode, 'No connection');
      else this.device(barcode, fallbackReason(e));
    } finally {
      this.busy = false;
    }
  }

  private device(barcode: string | null, why: string) {
    this.path = { by: 'device', why: barcode ? why : `${why}; no barcode was read — type the tracking number` };
  }

  private async enqueue(crop: Blob, barcode: string | null, why: string) {
    if (!this.queue) return this.device(barcode, why);
    await this.queue.add(crop, { barcode, draftId: this.draftId, trackingNumber: this.form.trackingNumber || null });
    this.path = { by: 'queued', why };
    await this.refresh();
  }

  /** Fills the form from Claude's reading; what the operator already entered stays. */
  async apply(answer: AiLabelAnswer) {
    const review: LabelField[] = [...answer.review];
    const look = (f: LabelField) => review.includes(f) || review.push(f);
    if (answer.trackingNumber && this.form.trackingNumber !== answer.trackingNumber) {
      // The reading wins over a typed-in nothing, never silently over a different barcode.
      if (this.form.tracking.trim()) look('trackingNumber');
      this.form.startFromScan(answer.trackingNumber);
    }
    if (isCarrier(answer.carrier) && !this.form.carrierTouched) this.form.carrier = answer.carrier;
    if (answer.sender && !this.form.sender.trim()) this.form.sender = answer.sender.slice(0, FIELD_MAX.sender ?? 200);
    if (answer.recipientName && !this.form.recipient) {
      const found = await this.matchRecipient(answer.recipientName, answer);
      if (!found) look('recipientName');
    }
    this.review = review;
  }

  /** Local fuzzy matching first; Claude chooses among at most 10 only when that is ambiguous. */
  private async matchRecipient(name: string, answer: AiLabelAnswer): Promise<boolean> {
    const index = this.directory.index;
    const local = (index?.search(name, 10) ?? []).map((m) => ({ id: m.recipient.id, name: m.recipient.name }));
    const decision = decideRecipient(name, local, answer.candidates);
    const pick = (id: string | null) => {
      const row = id ? index?.get(id) : undefined;
      if (row) this.form.pickRecipient(row);
      return !!row;
    };
    if (decision.kind === 'clear') {
      this.recipientNote = 'Recipient matched in the directory on this device';
      return pick(decision.id);
    }
    if (decision.kind === 'ask' && online() && aiEnabled()) {
      try {
        const m = await api.aiMatch({ name, candidateIds: decision.ids });
        if (m.recipientId && pick(m.recipientId)) {
          this.recipientNote = `Recipient chosen by Claude among ${decision.ids.length}: check it`;
          return false; // picked, still to be looked at
        }
      } catch {
        // Claude unavailable: the operator picks from the local matches below.
      }
    }
    this.form.recipientName = name.slice(0, FIELD_MAX.recipientName ?? 120);
    this.form.recipientTyped();
    this.recipientNote = 'Pick the recipient from the matches';
    return false;
  }

  /** The form's package was saved: queued labels of it now belong to the package; a new draft starts. */
  async saved(packageId: string, trackingNumber: string) {
    await this.queue?.saved(this.draftId, packageId, trackingNumber);
    this.draftId = crypto.randomUUID();
    this.review = [];
    this.recipientNote = null;
    this.path = null;
    await this.refresh();
  }

  /** Reads the labels queued offline (the network is back). */
  async drain() {
    if (!this.queue || this.draining || !aiEnabled() || !online()) return;
    this.draining = true;
    try {
      for (const row of await this.queue.waiting()) {
        const crop = this.queue.crop(row);
        if (!crop) continue;
        try {
          await this.queue.read(row.id, await api.aiLabel(crop, row.barcode));
        } catch (e) {
          // No network or Claude busy: try again at the next chance; refused for good: say so.
          if (e instanceof ApiError && (e.status === 0 || e.status === 503 || e.status === 429)) break;
          await this.queue.failed(row.id, fallbackReason(e));
        }
      }
    } finally {
      this.draining = false;
      await this.refresh();
    }
  }

  /** A late reading offered to the still-open form. */
  async useLate(row: QueuedLabel) {
    if (!row.answer) return;
    await this.apply(row.answer);
    this.path = { by: 'claude', why: 'read when the network returned' };
    await this.dismiss(row);
  }

  async dismiss(row: QueuedLabel) {
    await this.queue?.remove(row.id);
    await this.refresh();
  }

  async refresh() {
    this.late = (await this.queue?.all()) ?? [];
  }
}
