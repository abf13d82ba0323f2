// The browser side of keyboard-wedge scanning (src/lib/domain/wedge.ts decides): listens to every
// keydown on the window in the capture phase, before any field or handler of the page sees it, so
// a scan is taken wherever the focus is (a field, a button, nothing) without a tap first. The
// first characters of a scan reach the focused field before the burst is recognised; the field is
// then put back as it was when they started, and the rest of the burst is swallowed.
import { WedgeDetector, type WedgeOptions } from '$lib/domain/wedge';

type Editable = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

interface FieldSnapshot {
  el: Editable;
  value: string;
  selectionStart: number | null;
  selectionEnd: number | null;
}

function snapshot(target: EventTarget | null): FieldSnapshot | null {
  const el = target instanceof Element ? target : null;
  if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement)) return null;
  const text = !(el instanceof HTMLSelectElement);
  let selectionStart: number | null = null;
  let selectionEnd: number | null = null;
  try {
    if (text) ({ selectionStart, selectionEnd } = el);
  } catch {
    // type=number, email, …: no selection API
  }
  return { el, value: el.value, selectionStart, selectionEnd };
}

function restore(s: FieldSnapshot) {
  if (s.el.value === s.value) return;
  s.el.value = s.value;
  if (!(s.el instanceof HTMLSelectElement) && s.selectionStart !== null) {
    try {
      s.el.setSelectionRange(s.selectionStart, s.selectionEnd);
    } catch {
      // no selection API on this input type
    }
  }
  // Bindings (bind:value) and the page's handlers learn the field changed back.
  s.el.dispatchEvent(new Event(s.el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
}

/**
 * Starts listening for wedge scans on `target` (the window); `onScan` gets each scanned code.
 * Returns the function that stops listening (an $effect's cleanup).
 */
export function listenForWedgeScans(target: Window, onScan: (code: string) => void, options: Partial<WedgeOptions> = {}): () => void {
  const detector = new WedgeDetector(options);
  let field: FieldSnapshot | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const deliver = (code: string | null) => {
    if (code) onScan(code);
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.isComposing) return;
    deliver(detector.pause(e.timeStamp));
    const step = detector.key({ key: e.key, time: e.timeStamp, repeat: e.repeat, modified: e.ctrlKey || e.altKey || e.metaKey });
    if (step.kind === 'pass') {
      if (step.runStart) field = snapshot(e.target);
      return;
    }
    e.preventDefault();
    e.stopImmediatePropagation();
    clearTimeout(timer);
    if (step.kind === 'burst') {
      if (step.undo && field) restore(field);
      // A scanner that sends no Enter: the burst ends with the pause.
      const waitFor = detector.options.endGap + 1;
      const started = e.timeStamp;
      timer = setTimeout(() => deliver(detector.pause(started + waitFor)), waitFor);
    } else {
      field = null;
      onScan(step.code);
    }
  };
  // The character of a swallowed key must not reach the field through keypress/beforeinput either
  // (preventDefault on keydown already stops it; this also covers key-up driven widgets).
  const onKeyUp = (e: KeyboardEvent) => {
    if (detector.inBurst) e.stopImmediatePropagation();
  };

  target.addEventListener('keydown', onKey, { capture: true });
  target.addEventListener('keyup', onKeyUp, { capture: true });
  return () => {
    clearTimeout(timer);
    target.removeEventListener('keydown', onKey, { capture: true });
    target.removeEventListener('keyup', onKeyUp, { capture: true });
  };
}
