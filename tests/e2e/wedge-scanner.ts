// A simulated keyboard-wedge scanner: the code's characters 5 ms apart, then Enter, sent to
// whatever has focus. Each key carries its own timestamp (Chrome DevTools Protocol), as a real
// scanner's keys carry the time of their USB or Bluetooth report: the page's event.timeStamp is
// the device's, not the moment the message arrived. page.keyboard.type(code, { delay: 5 }) stamps
// keys when Playwright's messages arrive, and a loaded machine spreads those into a typist's
// rhythm (20–150 ms gaps measured on a busy 2-core machine), which is not what a scanner does.
import type { Page } from '@playwright/test';

export async function wedgeScan(page: Page, code: string, gapMs = 5) {
  const cdp = await page.context().newCDPSession(page);
  try {
    let t = Date.now() / 1000;
    const keys: Parameters<typeof cdp.send<'Input.dispatchKeyEvent'>>[1][] = [];
    for (const ch of code) {
      t += gapMs / 1000;
      keys.push({ type: 'keyDown', key: ch, text: ch, unmodifiedText: ch, timestamp: t });
      keys.push({ type: 'keyUp', key: ch, timestamp: t + 0.001 });
    }
    t += gapMs / 1000;
    const enter = { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, nativeVirtualKeyCode: 13 };
    keys.push({ type: 'keyDown', ...enter, text: '\r', unmodifiedText: '\r', timestamp: t });
    keys.push({ type: 'keyUp', ...enter, timestamp: t + 0.001 });
    // One session delivers its messages in order: sent at once, like a scanner's buffered report.
    await Promise.all(keys.map((k) => cdp.send('Input.dispatchKeyEvent', k)));
  } finally {
    await cdp.detach();
  }
}
