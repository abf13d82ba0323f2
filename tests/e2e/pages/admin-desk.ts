// Page objects for the desk's export and activity pages.
import { expect, type Page } from '@playwright/test';
import { mainNav } from './app.ts';

export class ExportPage {
  constructor(readonly page: Page) {}

  async open() {
    await (await mainNav(this.page, 'Export')).click();
    await expect(this.page.getByRole('heading', { name: 'Export package history' })).toBeVisible();
  }
  get from() {
    return this.page.getByLabel('Received from');
  }
  get to() {
    return this.page.getByLabel('to', { exact: true });
  }
  get progress() {
    return this.page.getByTestId('export-progress');
  }
  /** Downloads the range and hands back the saved file's bytes and name. */
  async download(from: string, to: string) {
    await this.from.fill(from);
    await this.to.fill(to);
    const saved = this.page.waitForEvent('download');
    await this.page.getByRole('button', { name: 'Download CSV' }).click();
    const file = await saved;
    const path = await file.path();
    const { readFile } = await import('node:fs/promises');
    return { name: file.suggestedFilename(), bytes: await readFile(path) };
  }
}

export class ActivityPage {
  constructor(readonly page: Page) {}

  async open() {
    await (await mainNav(this.page, 'Activity')).click();
    await expect(this.page.getByRole('heading', { name: 'Activity' })).toBeVisible();
  }
  get person() {
    return this.page.getByLabel('Person');
  }
  get action() {
    return this.page.getByLabel('Action');
  }
  async show() {
    await this.page.getByRole('button', { name: 'Show', exact: true }).click();
  }
  get rows() {
    return this.page.getByRole('table').locator('tbody tr');
  }
}
