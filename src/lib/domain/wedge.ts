// Keyboard-wedge barcode scanners (USB or Bluetooth HID) type what they read like a keyboard: the
// characters a few milliseconds apart, then Enter (or Tab, or nothing). This pure detector tells
// such a burst from a person typing, key by key, so the intake screen can take a scan wherever
// the focus is.
//
// A person, even a fast typist, leaves 60–120 ms between keys on average; two keys can come closer
// when they roll over from one to the next, but never a run of them. A scanner's run is 1–20 ms a
// key. So a run of printable keys, each within `maxGap` of the previous one, becomes a burst once it
// holds `minLength` keys whose mean gap is at most `meanGap`. Until then its keys do what keys do
// (a scan's first characters may land in a focused field); when the burst is recognised the caller
// puts that field back as it was when the run started, and swallows the rest of the burst until
// Enter or Tab (or `endGap` with no key). A held key's auto-repeat never counts. A scan whose first
// keys were held back once (a busy device) is still read whole: a machine-speed fragment just before
// the run is taken as its start. Pure: times come in with the keys, a pause is seen through
// `pause(now)`.

export interface WedgeOptions {
  /** Keys further apart than this (ms) belong to different runs. */
  maxGap: number;
  /** A recognised burst goes on through a stall this long (ms) and ends after it when no Enter comes. */
  endGap: number;
  /** The mean gap (ms) over the run at most, for it to be a burst. */
  meanGap: number;
  /** How many printable keys a run needs before it can be a burst. */
  minLength: number;
}

// maxGap is generous: a busy tablet or a Bluetooth link can hold one key back for tens of ms, and
// losing a scan's first character would log a wrong number; a person's keys still never pass the
// mean (a run of 6 keys at ≤ 30 ms on average is 33 keys a second, 400 words a minute).
// Once a burst is recognised, a longer stall is still the same scan (the keys of a half-read burst
// would otherwise be typed into the page).
export const WEDGE_DEFAULTS: WedgeOptions = { maxGap: 100, endGap: 250, meanGap: 30, minLength: 6 };

/** What a keydown event carries that matters here. */
export interface WedgeKey {
  /** KeyboardEvent.key: one character for printable keys, a name ("Enter", "Shift", …) otherwise. */
  key: string;
  /** When the key went down, in ms (KeyboardEvent.timeStamp). */
  time: number;
  /** An auto-repeat of a held key. */
  repeat?: boolean;
  /** A shortcut (Ctrl, Alt or Meta held): never part of a scan. */
  modified?: boolean;
}

export type WedgeStep =
  /** Let the key do what it normally does. `runStart`: the first key of a run; remember the field. */
  | { kind: 'pass'; runStart: boolean }
  /** Part of a burst: swallow the key. `undo`: the burst was just recognised; put the field back as it was at the run's start. */
  | { kind: 'burst'; undo: boolean }
  /** The burst ended with this key (Enter or Tab): swallow it; `code` was scanned. */
  | { kind: 'scan'; code: string };

const MODIFIERS = new Set(['Shift', 'CapsLock', 'Control', 'Alt', 'AltGraph', 'Meta', 'NumLock', 'Fn']);

function isPrintable(k: WedgeKey): boolean {
  return k.key.length === 1 && !k.modified && k.key >= ' ';
}

export class WedgeDetector {
  readonly options: WedgeOptions;
  private chars: string[] = [];
  /** Fast keys just before this run, cut off from it by one stall: the scan's start (see key()). */
  private prefix: string[] = [];
  private first = 0;
  private last = 0;
  private burst = false;

  constructor(options: Partial<WedgeOptions> = {}) {
    this.options = { ...WEDGE_DEFAULTS, ...options };
  }

  /** A burst is under way: the keys since it was recognised are being swallowed. */
  get inBurst(): boolean {
    return this.burst;
  }

  private reset() {
    this.chars = [];
    this.prefix = [];
    this.burst = false;
  }

  /** The run so far came at machine speed (at least two keys, mean gap within `meanGap`). */
  private fastRun(): boolean {
    const n = this.chars.length;
    return n >= 2 && (this.last - this.first) / (n - 1) <= this.options.meanGap;
  }

  /** What to do with one keydown. */
  key(k: WedgeKey): WedgeStep {
    const gapOk = this.chars.length > 0 && k.time - this.last <= (this.burst ? this.options.endGap : this.options.maxGap);
    // Shift and friends come between a scanner's characters (upper case): they neither count nor break.
    if (MODIFIERS.has(k.key)) return this.burst && gapOk ? { kind: 'burst', undo: false } : { kind: 'pass', runStart: false };

    if (this.burst && !gapOk) this.reset(); // pause() was not called in time; the old burst is over.

    if ((k.key === 'Enter' || k.key === 'Tab') && !k.modified && this.burst) {
      const code = this.chars.join('');
      this.reset();
      return { kind: 'scan', code };
    }
    if (!isPrintable(k) || k.repeat) {
      this.reset();
      return { kind: 'pass', runStart: false };
    }

    if (!gapOk) {
      // A scanner's first keys can be held back once (a busy device, a radio link): a run of keys
      // at machine speed that stalled for less than `endGap` may be the start of this one. It is
      // kept aside, and the field is not remembered anew (the undo goes back to before it).
      // One stall only: fragments are never chained (a typist's rolled-over pairs would be).
      const continues = !this.burst && this.prefix.length === 0 && k.time - this.last <= this.options.endGap && this.fastRun();
      this.prefix = continues ? this.chars : [];
      this.chars = [k.key];
      this.first = this.last = k.time;
      this.burst = false;
      return { kind: 'pass', runStart: !continues };
    }

    this.chars.push(k.key);
    this.last = k.time;
    if (this.burst) return { kind: 'burst', undo: false };
    if (this.chars.length >= this.options.minLength && this.fastRun()) {
      this.burst = true;
      this.chars = [...this.prefix, ...this.chars];
      this.prefix = [];
      return { kind: 'burst', undo: true };
    }
    return { kind: 'pass', runStart: false };
  }

  /**
   * Time passed with no key. A recognised burst that has had no key for `endGap` ms ended without
   * Enter (scanners set to send no suffix): its code is returned once. Otherwise null.
   */
  pause(now: number): string | null {
    if (!this.burst || now - this.last <= this.options.endGap) return null;
    const code = this.chars.join('');
    this.reset();
    return code;
  }
}
