// Page object of the desk's packages table (/packages on a wide screen for admins and viewers), and
// a way to log packages on the server as another device of the same person would.
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { mainNav } from './app.ts';
import { pushFromAnotherDevice } from './intake.ts';

export interface SeedPackage {
  trackingNumber: string;
  recipientName: string;
  carrier?: string;
  sender?: string;
  notes?: string;
  recipientId?: string;
  hoursAgo?: number;
}

/** Pushes package.receive.v2 from a throwaway client of the signed-in person; returns the ids. */
export async function seedPackages(request: APIRequestContext, packages: SeedPackage[]): Promise<string[]> {
  const ids = packages.map(() => randomUUID());
  await pushFromAnotherDevice(
    request,
    packages.map(({ hoursAgo, ...p }, i) => ({
      name: 'package.receive.v2',
      args: { id: ids[i], carrier: 'ups', receivedAt: new Date(Date.now() - (hoursAgo ?? i + 1) * 3_600_000).toISOString(), ...p },
    })),
  );
  return ids;
}

export class DeskTable {
  constructor(readonly page: Page) {}

  async open() {
    await (await mainNav(this.page, 'Packages')).click();
    await expect(this.table).toBeVisible();
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: 'Packages' });
  }

  get rows(): Locator {
    return this.page.getByTestId('desk-row');
  }

  row(tracking: string): Locator {
    return this.rows.filter({ hasText: tracking });
  }

  tab(name: string): Locator {
    return this.page.getByRole('group', { name: 'Status' }).getByRole('button', { name: new RegExp(`^${name}\\b`) });
  }

  count(tab: 'received' | 'held' | 'delivered' | 'returned' | 'all'): Locator {
    return this.page.getByTestId(`count-${tab}`);
  }

  async search(text: string) {
    await this.page.getByLabel('Search packages').fill(text);
  }

  sortBy(column: string): Locator {
    return this.table.getByRole('button', { name: new RegExp(`^${column}`) });
  }

  header(column: string): Locator {
    return this.table.getByRole('columnheader', { name: new RegExp(`^${column}`) });
  }

  /** The tracking numbers of the rows, top to bottom. */
  async trackings(): Promise<string[]> {
    return this.rows.locator('td.mono').allTextContents();
  }

  get panel(): Locator {
    return this.page.getByRole('complementary', { name: 'Package details' });
  }
}
