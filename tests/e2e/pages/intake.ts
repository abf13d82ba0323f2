// Page object of the intake desk's scanning: a keyboard-wedge scanner (keys 5 ms apart, then
// Enter, wherever the focus is) and the camera scanner of the receive screen.
import { expect, type Locator, type Page } from '@playwright/test';
import { wedgeScan } from '../wedge-scanner.ts';

export class IntakeDesk {
  constructor(readonly page: Page) {}

  get tracking(): Locator {
    return this.page.getByRole('textbox', { name: 'Tracking number' });
  }

  get carrier(): Locator {
    return this.page.getByLabel('Carrier');
  }

  get recipient(): Locator {
    return this.page.getByRole('combobox', { name: 'Recipient' });
  }

  get notes(): Locator {
    return this.page.getByLabel('Notes');
  }

  /** A USB/Bluetooth scanner reading `code`: its characters 5 ms apart, then Enter, to whatever has focus. */
  async wedgeScan(code: string) {
    await wedgeScan(this.page, code);
  }

  /** Nothing on the page has focus (the operator tapped an empty spot). */
  async blur() {
    await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await expect.poll(() => this.page.evaluate(() => document.activeElement === document.body)).toBe(true);
  }

  /** The scan filled the number and carrier, and the recipient is next. */
  async expectScanned(trackingNumber: string, carrierId: string) {
    await expect(this.tracking).toHaveValue(trackingNumber);
    await expect(this.carrier).toHaveValue(carrierId);
    await expect(this.recipient).toBeFocused();
  }

  /** After a scan: the recipient, then Enter saves (the form's submit). */
  async finishWithRecipient(name: string) {
    await this.recipient.fill(name); // fill: typed keys at machine speed would read as a scan
    await this.recipient.press('Enter');
  }

  async expectSaved(trackingNumber: string, recipient: string) {
    await expect(this.page.getByRole('status').filter({ hasText: /^Saved / })).toHaveText(`Saved ${trackingNumber} for ${recipient}`);
  }

  // --- camera ---------------------------------------------------------------------------------

  async openCamera() {
    await this.page.getByRole('button', { name: 'Scan with camera' }).tap();
    await expect(this.page.getByRole('button', { name: 'Close camera' })).toBeVisible();
  }

  /** What the camera read, as shown under the picture. */
  get cameraRead(): Locator {
    return this.page.getByRole('status').filter({ hasText: /^Read / });
  }
}
