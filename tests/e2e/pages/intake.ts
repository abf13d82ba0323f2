// Page objects of the intake desk: the receive screen and the operator's home (IntakePage), its
// scanning by a keyboard-wedge scanner or the camera (IntakeDesk), and a way to give a facility a
// directory through the sync protocol, as another device of the same person would.
import { mainNav } from './app.ts';
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { wedgeScan } from '../wedge-scanner.ts';

export interface SeedRecipient {
  name: string;
  email?: string;
  employeeId?: string;
}

/**
 * Pushes mutations from a throwaway client of the signed-in person, as their other device would,
 * and expects every one applied.
 */
export async function pushFromAnotherDevice(request: APIRequestContext, mutations: { name: string; args: Record<string, unknown> }[]) {
  const facilityId = (await (await request.get('/api/me')).json()).activeFacilityId as string;
  const clientTime = new Date().toISOString();
  const res = await request.post('/api/sync/push', {
    data: {
      protocolVersion: 1,
      schemaVersion: 1,
      facilityId,
      clientId: randomUUID(),
      mutations: mutations.map((m, i) => ({ id: i + 1, ...m, clientTime })),
    },
  });
  expect(res.status(), await res.text()).toBe(200);
  expect((await res.json()).results as { status: string }[]).toEqual(mutations.map(() => expect.objectContaining({ status: 'applied' })));
}

/** Pushes `recipient.upsert` mutations from a throwaway client of the signed-in person; returns the ids. */
export async function seedRecipients(request: APIRequestContext, people: SeedRecipient[]): Promise<string[]> {
  const ids = people.map(() => randomUUID());
  await pushFromAnotherDevice(
    request,
    people.map((p, i) => ({ name: 'recipient.upsert', args: { id: ids[i], ...p } })),
  );
  return ids;
}

export class IntakePage {
  constructor(readonly page: Page) {}

  /** From the operator's home, by its big button. */
  async openFromHome() {
    await (await mainNav(this.page, 'Home')).click();
    await this.page.getByRole('link', { name: 'Receive packages' }).click();
    await expect(this.page.getByRole('heading', { name: 'Receive package' })).toBeVisible();
  }

  /**
   * Waits until a person of the directory is on this device (found by the picker), then clears the
   * field. Recipients added on the server arrive with the next pull, not at once.
   */
  async waitForDirectory(name: string) {
    await expect(async () => {
      await this.page.reload();
      await this.recipient.fill(name);
      await expect(this.matches.filter({ hasText: name })).not.toHaveCount(0, { timeout: 3000 });
    }).toPass({ timeout: 30_000 });
    await this.recipient.fill('');
    await this.tracking.focus();
  }

  count(which: 'received-today' | 'waiting' | 'held'): Locator {
    return this.page.getByTestId(`count-${which}`).locator('.n');
  }

  get tracking(): Locator {
    return this.page.getByRole('textbox', { name: 'Tracking number' });
  }
  get recipient(): Locator {
    return this.page.getByRole('combobox', { name: 'Recipient' });
  }
  get matches(): Locator {
    return this.page.getByRole('listbox', { name: 'Matching recipients' }).getByRole('option');
  }
  get save(): Locator {
    return this.page.getByRole('button', { name: 'Save package' });
  }
  get saved(): Locator {
    return this.page.getByRole('status').filter({ hasText: /^Saved |^Undone/ });
  }
  get duplicateWarning(): Locator {
    return this.page.getByTestId('duplicate-warning');
  }
  get shiftItems(): Locator {
    return this.page.getByTestId('shift-item');
  }
  get photoInput(): Locator {
    return this.page.getByLabel('Photo', { exact: true });
  }

  /** What a scanner does: the number, then Enter, which moves on to the recipient. */
  async scan(code: string) {
    await this.tracking.fill(code);
    await this.tracking.press('Enter');
    await expect(this.recipient).toBeFocused();
  }

  /**
   * Types into the recipient field as a person does, a key at a time at a person's pace: keys at
   * machine speed would read as a wedge scanner's burst (src/lib/domain/wedge.ts).
   */
  async typeRecipient(text: string) {
    await this.recipient.fill('');
    await this.recipient.pressSequentially(text, { delay: 70 });
  }

  async setRapid(on: boolean) {
    await this.page.getByLabel('Rapid mode (Enter on the recipient saves)').setChecked(on);
  }

  /** The element lies entirely inside the viewport (no scrolling needed to see it). */
  async expectAboveTheFold(l: Locator) {
    const box = await l.boundingBox();
    const view = this.page.viewportSize()!;
    expect(box, 'visible').not.toBeNull();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(view.height);
    expect(box!.x + box!.width).toBeLessThanOrEqual(view.width);
  }
}

// --- scanning: a keyboard-wedge scanner (keys 5 ms apart, then Enter, wherever the focus is) and the camera

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

  /** After a scan: a recipient of the directory, then Enter saves (rapid mode). */
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
