// Page object of the directory screens (admins): lists, editor, merge, and the CSV import.
import { mainNav } from './app.ts';
import { expect, type Page } from '@playwright/test';

export class DirectoryPage {
  constructor(readonly page: Page) {}

  async open(tab: 'Recipients' | 'Departments' | 'Locations' = 'Recipients') {
    await (await mainNav(this.page, 'Directory')).click();
    await this.page.getByRole('navigation', { name: 'Directory' }).getByRole('link', { name: tab }).click();
    await expect(this.table(tab)).toBeVisible();
  }

  table(name: 'Recipients' | 'Departments' | 'Locations' | 'Import preview') {
    return this.page.getByRole('table', { name });
  }

  row(table: 'Recipients' | 'Departments' | 'Locations', text: string) {
    return this.table(table).getByRole('row').filter({ hasText: text });
  }

  async search(q: string) {
    await this.page.getByLabel('Search recipients').fill(q);
  }

  /** Fills the open editor's labelled fields (text inputs and selects by option label), then saves. */
  async fillAndSave(fields: Record<string, string>) {
    const editor = this.page.getByRole('form', { name: /^(New|Edit) / });
    for (const [label, value] of Object.entries(fields)) {
      const field = editor.getByLabel(label, { exact: true });
      if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption({ label: value });
      else await field.fill(value);
    }
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(editor).toHaveCount(0);
  }

  async edit(name: string, fields: Record<string, string>) {
    await this.page.getByRole('button', { name: `Edit ${name}`, exact: true }).click();
    await this.fillAndSave(fields);
  }

  async delete(name: string) {
    this.page.once('dialog', (d) => void d.accept());
    await this.page.getByRole('button', { name: `Delete ${name}`, exact: true }).click();
    await expect(this.page.getByRole('main').getByRole('status')).toHaveText(`Deleted ${name}`);
  }

  async openImport() {
    await this.page.getByRole('link', { name: 'Import CSV' }).click();
    await expect(this.page.getByRole('heading', { name: 'Import the directory from CSV' })).toBeVisible();
  }

  async chooseFile(name: string, content: string | Buffer) {
    await this.page.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });
    await expect(this.table('Import preview')).toBeVisible();
  }

  get previewSummary() {
    return this.page.getByRole('region', { name: 'Preview: nothing is written yet' }).getByRole('status');
  }

  get result() {
    return this.page.getByRole('region', { name: 'Imported' });
  }

  previewRow(line: number) {
    return this.table('Import preview')
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell', { name: String(line), exact: true }) });
  }
}
