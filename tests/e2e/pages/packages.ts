// Page objects of the package screens (list, receive, one package, needs attention) and the header's
// sync badge, plus a read-only view of what the server holds (a pull over the sync protocol with
// the browser context's session cookie). How a person drives the app: labels and roles.
import { mainNav } from './app.ts';
import { expect, type APIRequestContext, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';

export interface ReceiveInput {
  tracking: string;
  recipient: string;
  notes?: string;
  photo?: { name: string; mimeType: string; buffer: Buffer };
}

export class PackagesPage {
  constructor(readonly page: Page) {}

  // --- header ---------------------------------------------------------------------------------

  get syncStatus(): Locator {
    return this.page.getByTestId('sync-status');
  }

  get syncSummary(): Locator {
    return this.syncStatus.locator('.summary');
  }

  /** Waits until the header says every change and upload reached the server. */
  async expectAllSynced(timeout = 30_000) {
    await expect(this.syncSummary).toHaveText('All synced', { timeout });
    await expect(this.syncStatus).toHaveAttribute('data-state', 'synced', { timeout });
  }

  // --- list ------------------------------------------------------------------------------------

  /** The device list (at a desk, admins and viewers see the packages table until they pick "Device list"; the browser keeps that). */
  async open() {
    await (await mainNav(this.page, 'Packages')).click();
    await expect(this.page.getByRole('heading', { name: 'Packages', level: 1 })).toBeVisible();
    if ((await this.page.getByTestId('packages-view').getAttribute('data-view')) === 'table') {
      await this.page.getByRole('link', { name: 'Device list', exact: true }).click();
      await expect(this.page.getByTestId('packages-view')).toHaveAttribute('data-view', 'device');
    }
  }

  get rows(): Locator {
    return this.page.getByTestId('package-row');
  }

  /** The list row of a package, found by its tracking number. */
  row(tracking: string): Locator {
    return this.rows.filter({ hasText: tracking });
  }

  async search(text: string) {
    await this.page.getByLabel('Search packages').fill(text);
  }

  // --- receive ---------------------------------------------------------------------------------

  async openReceive() {
    await this.page.getByRole('button', { name: 'Receive package' }).click();
    await expect(this.page.getByRole('heading', { name: 'Receive package' })).toBeVisible();
  }

  /** Fills the receive form and saves; waits for the confirmation. The form stays open for the next one. */
  async receive(p: ReceiveInput) {
    const tracking = this.page.getByRole('textbox', { name: 'Tracking number' });
    await tracking.fill(p.tracking);
    await tracking.press('Enter'); // as a scanner does: moves on to the recipient
    const recipient = this.page.getByRole('combobox', { name: 'Recipient' });
    await expect(recipient).toBeFocused();
    await recipient.fill(p.recipient);
    await this.chooseRecipient(p.recipient);
    if (p.notes) await this.page.getByLabel('Notes').fill(p.notes);
    if (p.photo) {
      await this.page.getByLabel('Photo', { exact: true }).setInputFiles(p.photo);
      await expect(this.page.getByRole('img', { name: 'The package as it will be saved' })).toBeVisible();
    }
    await this.page.getByRole('button', { name: 'Save package' }).click();
    await expect(this.page.getByRole('status').filter({ hasText: /^Saved / })).toHaveText(`Saved ${p.tracking} for ${p.recipient}`);
    await expect(tracking).toHaveValue('');
    await expect(tracking).toBeFocused();
  }

  /**
   * Picks the recipient typed into the picker from its matches, or creates them on the spot when
   * the directory has no one of that name (recipients are never saved as free text).
   */
  async chooseRecipient(name: string, create: { email?: string; employeeId?: string } = {}) {
    const list = this.page.getByRole('listbox', { name: 'Matching recipients' });
    await expect(list).toBeVisible();
    const exact = list.getByRole('option').filter({ has: this.page.locator('.name').getByText(name, { exact: true }) });
    if (await exact.count()) await exact.first().click();
    else {
      await list.getByRole('button', { name: `+ Create “${name}”` }).click();
      await this.createRecipient(create);
    }
    await expect(this.page.getByText('✓ From the directory')).toBeVisible();
  }

  /** The "New recipient" dialog, opened from the picker with the typed name. */
  async createRecipient(fields: { email?: string; employeeId?: string } = {}) {
    const dialog = this.page.getByRole('dialog', { name: 'New recipient' });
    await expect(dialog).toBeVisible();
    if (fields.email) await dialog.getByLabel('Email').fill(fields.email);
    if (fields.employeeId) await dialog.getByLabel('Employee id').fill(fields.employeeId);
    await dialog.getByRole('button', { name: 'Create recipient' }).click();
    await expect(dialog).toBeHidden();
  }

  async backToList() {
    await this.page.getByRole('link', { name: '← Packages' }).click();
    await expect(this.page.getByRole('heading', { name: 'Packages', level: 1 })).toBeVisible();
  }

  // --- one package -----------------------------------------------------------------------------

  async openPackage(tracking: string) {
    await this.row(tracking).click();
    await expect(this.detailTracking).toHaveText(tracking);
  }

  get detailTracking(): Locator {
    return this.page.locator('dt:text-is("Tracking number") + dd');
  }

  /** The status badge of the open package. */
  get detailStatus(): Locator {
    return this.page.locator('section header .badge');
  }

  /** A photo or the signature of the open package, by its label ("Intake photo", "Signature"). */
  photo(label: string): Locator {
    return this.page.getByRole('img', { name: label });
  }

  /** The image is decoded and has pixels (not a broken image). */
  async expectImageLoaded(img: Locator) {
    await expect(img).toBeVisible();
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  }

  /** Holds the open package with a reason from the list (and a note; "Other" needs one). */
  async hold(note: string, reason = 'Other') {
    await this.page.getByRole('button', { name: 'Hold', exact: true }).click();
    await this.page.getByRole('radio', { name: reason, exact: true }).check();
    await this.page.getByLabel(/^Hold note/).fill(note);
    await this.page.getByRole('button', { name: 'Hold package' }).click();
    await expect(this.detailStatus).toHaveText('Held');
  }

  /** Return to sender: reason, optional carrier, then the confirmation. */
  async returnPackage(reason = 'Refused by recipient', carrier?: string) {
    await this.page.getByRole('button', { name: 'Return to sender', exact: true }).click();
    await this.page.getByLabel('Return reason').selectOption({ label: reason });
    if (carrier) await this.page.getByLabel(/^Return carrier/).selectOption({ label: carrier });
    await this.page.getByRole('button', { name: 'Continue' }).click();
    await expect(this.page.getByText(/^Return .+ to sender\?$/)).toBeVisible();
    await this.page.getByRole('button', { name: 'Yes, return to sender' }).click();
    await expect(this.detailStatus).toHaveText('Returned');
  }

  /** The timeline entries of the open package. */
  get events(): Locator {
    return this.page.getByTestId('event');
  }

  get signaturePad(): Locator {
    return this.page.getByLabel(/Signature pad/);
  }

  /** Draws a zig-zag on the signature pad with the mouse, or with a finger on touch devices. */
  async sign(opts: { touch?: boolean } = {}) {
    const box = await this.signaturePad.boundingBox();
    if (!box) throw new Error('signature pad not visible');
    const points = Array.from({ length: 12 }, (_, i) => ({
      x: box.x + box.width * (0.1 + (0.8 * i) / 11),
      y: box.y + box.height * (i % 2 ? 0.3 : 0.7),
    }));
    if (opts.touch) await touchStroke(this.page, points);
    else {
      await this.page.mouse.move(points[0]!.x, points[0]!.y);
      await this.page.mouse.down();
      for (const p of points.slice(1)) await this.page.mouse.move(p.x, p.y, { steps: 3 });
      await this.page.mouse.up();
    }
  }

  // --- needs attention -------------------------------------------------------------------------

  async openAttention() {
    await (await mainNav(this.page, 'Needs attention')).click();
    await expect(this.page.getByRole('heading', { name: 'Needs attention' })).toBeVisible();
  }

  get rejections(): Locator {
    return this.page.getByTestId('rejection');
  }
}

/**
 * A one-finger stroke through `points`, as real touch input (Chrome DevTools Protocol), one move per
 * frame. The finger comes to rest before it lifts: lifting at speed makes Chromium start a fling,
 * and the tap that stops a fling is swallowed (as on a real phone), which would eat the next tap.
 */
async function touchStroke(page: Page, points: { x: number; y: number }[]) {
  const cdp = await page.context().newCDPSession(page);
  try {
    let t = Date.now() / 1000;
    const send = (type: 'touchStart' | 'touchMove' | 'touchEnd', p?: { x: number; y: number }) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: p ? [{ x: p.x, y: p.y, id: 1, radiusX: 2, radiusY: 2, force: 1 }] : [],
        timestamp: (t += 0.016),
      });
    await send('touchStart', points[0]);
    for (const p of points.slice(1)) await send('touchMove', p);
    const rest = points[points.length - 1]!;
    t += 0.2;
    await send('touchMove', rest);
    t += 0.2;
    await send('touchMove', rest);
    await send('touchEnd');
  } finally {
    await cdp.detach();
  }
}

// --- the server's view (read-only) -----------------------------------------------------------

export interface ServerPackage {
  id: string;
  trackingNumber: string;
  carrier: string;
  recipientId: string | null;
  recipientName: string;
  notes: string | null;
  status: string;
  deliveredTo: string | null;
  signatureHash: string | null;
}

export interface ServerAttachment {
  id: string;
  packageId: string;
  hash: string;
  kind: string;
  uploaded: boolean;
}

export interface ServerRecipient {
  id: string;
  name: string;
  email: string | null;
  employeeId: string | null;
}

export interface ServerState {
  facilityId: string;
  packages: ServerPackage[];
  recipients: ServerRecipient[];
  attachments: ServerAttachment[];
  events: { id: string; packageId: string; type: string }[];
}

/**
 * Everything the server holds for the session's active facility: a full pull (null cookie) with a
 * throwaway clientId, as any other client of the protocol would read it. Pulls never write.
 */
export async function serverState(request: APIRequestContext): Promise<ServerState> {
  const meRes = await request.get('/api/me');
  expect(meRes.status(), 'signed in').toBe(200);
  const facilityId = (await meRes.json()).activeFacilityId as string;
  const clientId = randomUUID();
  const tables = new Map<string, Map<string, Record<string, unknown>>>();
  let cookie: string | null = null;
  for (;;) {
    const res = await request.post('/api/sync/pull', {
      data: { protocolVersion: 1, schemaVersion: 1, facilityId, clientId, cookie },
    });
    expect(res.status(), await res.text()).toBe(200);
    const page = (await res.json()) as {
      cookie: string;
      more: boolean;
      patch: { op: string; table?: string; id?: string; row?: Record<string, unknown> }[];
    };
    for (const op of page.patch) {
      if (op.op === 'clear') tables.clear();
      else {
        if (!tables.has(op.table!)) tables.set(op.table!, new Map());
        if (op.op === 'put') tables.get(op.table!)!.set(op.id!, op.row!);
        else tables.get(op.table!)!.delete(op.id!);
      }
    }
    cookie = page.cookie;
    if (!page.more) break;
  }
  const rows = <T>(t: string) => [...(tables.get(t)?.values() ?? [])] as T[];
  return {
    facilityId,
    packages: rows<ServerPackage>('packages'),
    recipients: rows<ServerRecipient>('recipients'),
    attachments: rows<ServerAttachment>('attachments'),
    events: rows('packageEvents'),
  };
}

/** Follows `GET /api/sync/blobs/<hash>` (a redirect to a short-lived URL) and returns what it serves. */
export async function fetchBlob(request: APIRequestContext, hash: string) {
  const res = await request.get(`/api/sync/blobs/${hash}`, { maxRedirects: 0 });
  expect(res.status(), `GET blob ${hash}`).toBe(302);
  const location = res.headers()['location'];
  expect(location).toBeTruthy();
  const img = await request.get(location!);
  return { status: img.status(), contentType: img.headers()['content-type'] ?? '', body: await img.body() };
}

/** Waits until the service worker is active, then reloads so it controls the page. */
export async function controlledByServiceWorker(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) await page.reload();
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}

export async function setOnline(context: BrowserContext, online: boolean) {
  await context.setOffline(!online);
}
