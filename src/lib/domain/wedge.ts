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
// puts that field back as it was when the run started, and swallows the rest of the burst. A held
// key's auto-repeat never counts. Pure: times come in with the keys, a pause is seen through
// `pause(now)`.

export interface WedgeOptions {
  /** Keys further apart than this (ms) belong to different runs; a recognised burst ends after it. */
  maxGap: number;
  /** The mean gap (ms) over the run at most, for it to be a burst. */
  meanGap: number;
  /** How many printable keys a run needs before it can be a burst. */
  minLength: number;
}

export const WEDGE_DEFAULTS: WedgeOptions = { maxGap: 60, meanGap: 25, minLength: 6 };

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
    this.burst = false;
  }

  /** What to do with one keydown. */
  key(k: WedgeKey): WedgeStep {
    const gapOk = this.chars.length > 0 && k.time - this.last <= this.options.maxGap;
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
      this.chars = [k.key];
      this.first = this.last = k.time;
      this.burst = false;
      return { kind: 'pass', runStart: true };
    }

    this.chars.push(k.key);
    this.last = k.time;
    if (this.burst) return { kind: 'burst', undo: false };
    const n = this.chars.length;
    if (n >= this.options.minLength && (this.last - this.first) / (n - 1) <= this.options.meanGap) {
      this.burst = true;
      return { kind: 'burst', undo: true };
    }
    return { kind: 'pass', runStart: false };
  }

  /**
   * Time passed with no key. A recognised burst that has had no key for `maxGap` ms ended without
   * Enter (scanners set to send no suffix): its code is returned once. Otherwise null.
   */
  pause(now: number): string | null {
    if (this.chars.length === 0 || now - this.last <= this.options.maxGap) return null;
    const code = this.burst ? this.chars.join('') : null;
    this.reset();
    return code;
  }
}
