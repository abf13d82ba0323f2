import { describe, expect, it } from 'vitest';
import { WedgeDetector, type WedgeKey, type WedgeStep } from './wedge';

/** Keys of `text` at the given gaps (ms) after `start`; `gaps` cycles when shorter than the text. */
function typed(text: string, gaps: number[], start = 1000): WedgeKey[] {
  let t = start;
  return [...text].map((key, i) => {
    if (i > 0) t += gaps[(i - 1) % gaps.length]!;
    return { key, time: t };
  });
}

function feed(d: WedgeDetector, keys: WedgeKey[]): WedgeStep[] {
  return keys.map((k) => d.key(k));
}

/**
 * A text field driven by the detector as the browser binding drives a real one: passed keys are
 * inserted at the caret, swallowed keys are not, an undo puts back the value at the run's start.
 */
class Field {
  value: string;
  private atRunStart: string;
  readonly scans: string[] = [];
  constructor(
    readonly d: WedgeDetector,
    value = '',
  ) {
    this.value = this.atRunStart = value;
  }
  press(k: WedgeKey) {
    const early = this.d.pause(k.time);
    if (early) this.scans.push(early);
    const step = this.d.key(k);
    if (step.kind === 'pass') {
      if (step.runStart) this.atRunStart = this.value;
      if (k.key.length === 1) this.value += k.key;
    } else if (step.kind === 'burst') {
      if (step.undo) this.value = this.atRunStart;
    } else this.scans.push(step.code);
  }
  type(keys: WedgeKey[]) {
    for (const k of keys) this.press(k);
  }
  idle(now: number) {
    const code = this.d.pause(now);
    if (code) this.scans.push(code);
  }
}

const UPS = '1Z5R89390357567127';

describe('WedgeDetector', () => {
  it('recognises a scanner burst (5 ms a key) ended by Enter', () => {
    const d = new WedgeDetector();
    const keys = typed(UPS, [5]);
    const steps = feed(d, keys);
    expect(steps.slice(0, 5).every((s) => s.kind === 'pass')).toBe(true);
    expect(steps[0]).toEqual({ kind: 'pass', runStart: true });
    expect(steps[5]).toEqual({ kind: 'burst', undo: true });
    expect(steps.slice(6).every((s) => s.kind === 'burst' && !s.undo)).toBe(true);
    expect(d.key({ key: 'Enter', time: keys.at(-1)!.time + 5 })).toEqual({ kind: 'scan', code: UPS });
    expect(d.inBurst).toBe(false);
  });

  it('takes Tab as the end of a scan too, and Shift between upper-case characters does not break it', () => {
    const d = new WedgeDetector();
    const keys: WedgeKey[] = [];
    let t = 0;
    for (const ch of 'TBA502887274000') {
      if (/[A-Z]/.test(ch)) keys.push({ key: 'Shift', time: (t += 2) });
      keys.push({ key: ch, time: (t += 3) });
    }
    feed(d, keys);
    expect(d.key({ key: 'Tab', time: t + 4 })).toEqual({ kind: 'scan', code: 'TBA502887274000' });
  });

  it('ends a burst by a pause when the scanner sends no Enter', () => {
    const d = new WedgeDetector();
    const keys = typed(UPS, [8]);
    feed(d, keys);
    const end = keys.at(-1)!.time;
    expect(d.pause(end + 200)).toBeNull(); // not yet: the scanner may still be typing
    expect(d.pause(end + 251)).toBe(UPS);
    expect(d.pause(end + 200)).toBeNull(); // once
  });

  it('tolerates the uneven timing of a Bluetooth scanner or a busy browser', () => {
    const d = new WedgeDetector();
    // A late first key, a stall of 180 ms halfway through.
    const keys = typed('9400111201080805483016', [85, 3, 2, 45, 4, 12, 30, 2, 3, 180, 4]);
    feed(d, keys);
    expect(d.key({ key: 'Enter', time: keys.at(-1)!.time + 3 })).toEqual({ kind: 'scan', code: '9400111201080805483016' });
  });

  it('a scan whose first keys were held back once is still read whole, and the field put back as it was', () => {
    const d = new WedgeDetector();
    const field = new Field(d, 'Fragile');
    // Five keys, a stall of 150 ms (over maxGap, under endGap), then the rest.
    const keys = typed(UPS, [45, 13, 18, 10, 150, 10, 29, 32, 10, 13, 11, 10, 18, 16, 14, 10, 9], 0);
    field.type(keys);
    field.press({ key: 'Enter', time: keys.at(-1)!.time + 10 });
    expect(field.scans).toEqual([UPS]);
    expect(field.value).toBe('Fragile');
  });

  it('keys typed by a person before a stall are not taken into a scan: only keys at machine speed are', () => {
    const d = new WedgeDetector();
    const field = new Field(d);
    field.type(typed('ab', [90], 0)); // a person's two keys
    const scan = typed(UPS, [5], 90 + 150);
    field.type(scan);
    field.press({ key: 'Enter', time: scan.at(-1)!.time + 5 });
    expect(field.scans).toEqual([UPS]);
    expect(field.value).toBe('ab');
  });

  it.each([
    ['an average typist', [180, 220, 150, 240, 200]],
    ['a fast typist', [60, 120, 80, 95, 70, 110, 65]],
    ['a very fast typist with rolled-over keys', [18, 95, 12, 70, 25, 60, 15, 80, 20]],
    ['a steady 40 ms (faster than any person)', [40]],
    ['a burst of rolled-over keys amid normal typing', [90, 10, 12, 8, 95, 11, 9, 70, 14]],
  ])('never takes %s for a scanner', (_who, gaps) => {
    const d = new WedgeDetector();
    const steps = feed(d, typed(`${UPS}${UPS}`, gaps));
    expect(steps.every((s) => s.kind === 'pass')).toBe(true);
    expect(d.key({ key: 'Enter', time: 1e6 })).toEqual({ kind: 'pass', runStart: false });
    expect(d.pause(2e6)).toBeNull();
  });

  it('never takes rolled-over pairs with pauses between them for a scanner', () => {
    const d = new WedgeDetector();
    // "th", pause, "er", pause, … : pairs 10 ms apart, 120–200 ms between pairs.
    const keys = typed('thereisnothingtoscanherethereisnothing', [10, 150, 12, 120, 9, 200, 14, 130]);
    expect(feed(d, keys).every((s) => s.kind === 'pass')).toBe(true);
    // and a scan right after such typing takes one pair at most with it, never the sentence.
    const field = new Field(new WedgeDetector(), '');
    field.type(keys);
    const scan = typed(UPS, [5], keys.at(-1)!.time + 150);
    field.type(scan);
    field.press({ key: 'Enter', time: scan.at(-1)!.time + 5 });
    expect(field.scans).toHaveLength(1);
    expect(field.scans[0]!.endsWith(UPS)).toBe(true);
    expect(field.value.length).toBeGreaterThanOrEqual(keys.length - 2);
  });

  it('ignores a held key: auto-repeat is fast but is not a scan', () => {
    const d = new WedgeDetector();
    const keys = typed('aaaaaaaaaaaaaaaa', [20]).map((k, i) => ({ ...k, repeat: i > 0 }));
    expect(feed(d, keys).every((s) => s.kind === 'pass')).toBe(true);
    expect(d.key({ key: 'Enter', time: keys.at(-1)!.time + 20 }).kind).toBe('pass');
  });

  it('lets short fast runs through (fewer keys than a barcode)', () => {
    const d = new WedgeDetector();
    const steps = feed(d, typed('12345', [4]));
    expect(steps.every((s) => s.kind === 'pass')).toBe(true);
    expect(d.key({ key: 'Enter', time: 2000 }).kind).toBe('pass');
  });

  it('does not take shortcuts (Ctrl+V and friends) into a run', () => {
    const d = new WedgeDetector();
    const keys = typed(UPS, [4]).map((k, i) => ({ ...k, modified: i % 2 === 0 }));
    expect(feed(d, keys).every((s) => s.kind === 'pass')).toBe(true);
  });

  it('a burst typed into a focused field leaves the field as it was, and the person typing the same characters gets them', () => {
    const d = new WedgeDetector();
    const notes = new Field(d, 'Left at the door');
    notes.type(typed(' ok', [150], 0));
    expect(notes.value).toBe('Left at the door ok');

    // The scanner fires while the notes field has focus.
    const scan = typed(UPS, [5], 5000);
    notes.type(scan);
    notes.press({ key: 'Enter', time: scan.at(-1)!.time + 5 });
    expect(notes.value).toBe('Left at the door ok');
    expect(notes.scans).toEqual([UPS]);

    // A person types the same characters into the same field: they stay there, no scan.
    notes.type(typed(UPS, [110, 85, 70, 130], 9000));
    notes.press({ key: 'Enter', time: 20_000 });
    expect(notes.value).toBe(`Left at the door ok${UPS}`);
    expect(notes.scans).toEqual([UPS]);
  });

  it('a scan that follows a person typing right away (just over the gap) leaves the typed text alone', () => {
    const d = new WedgeDetector();
    const field = new Field(d, '');
    field.type(typed('Ada', [120], 0));
    field.type(typed(UPS, [4], 240 + 101));
    field.idle(10_000); // no Enter: ended by the pause
    expect(field.value).toBe('Ada');
    expect(field.scans).toEqual([UPS]);
  });

  it('reads scans back to back, and a late pause check still yields the earlier one', () => {
    const d = new WedgeDetector();
    const field = new Field(d);
    const a = typed('986578788855', [5], 0);
    field.type(a);
    field.press({ key: 'Enter', time: a.at(-1)!.time + 5 });
    const b = typed('TBA000000000000', [5], 300);
    field.type(b); // no suffix; the next scan starts before any timer ran
    const c = typed('3318810025', [5], 700);
    field.type(c);
    field.press({ key: 'Enter', time: c.at(-1)!.time + 5 });
    expect(field.scans).toEqual(['986578788855', 'TBA000000000000', '3318810025']);
    expect(field.value).toBe('');
  });
});
