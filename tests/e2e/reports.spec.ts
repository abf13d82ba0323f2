// The reports page at the desk: every chart draws (a canvas each), a chart's table opens, its CSV
// downloads with the rows shown, and axe finds no serious or critical problem.
import { readFile } from 'node:fs/promises';
import { desktopOnly, expect, expectNoSeriousA11yProblems, test } from './fixtures.ts';
import { AppPage, mainNav, newAccount } from './pages/app.ts';

test('reports draw their charts, show a table and download it as CSV', async ({ page }, testInfo) => {
  desktopOnly(testInfo.project.name);
  const app = new AppPage(page);
  await app.signUp(newAccount('reports'));

  await (await mainNav(page, 'Reports')).click();
  await expect(page.getByRole('heading', { name: 'Reports', level: 1 })).toBeVisible();
  const charts = page.locator('figure.chart');
  await expect(charts).toHaveCount(7);
  await expect(page.locator('figure.chart canvas')).toHaveCount(7);
  // Chart.js has drawn: the canvas has a backing store of its own size.
  await expect
    .poll(() =>
      page
        .locator('figure.chart canvas')
        .first()
        .evaluate((c: HTMLCanvasElement) => c.width),
    )
    .toBeGreaterThan(0);

  const received = page.getByRole('figure', { name: 'Received per day' });
  await received.getByText('Table').click();
  const rows = received.getByRole('row');
  await expect(rows).toHaveCount(31); // a header and the last 30 days
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    received.getByRole('button', { name: 'Download CSV: Received per day' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('received-per-day.csv');
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(lines[0]).toBe('Day,Received');
  expect(lines).toHaveLength(31);
  expect(lines[30]).toMatch(/^\d{4}-\d\d-\d\d,0$/);

  // A narrower range redraws.
  const to = await page.getByLabel('To', { exact: true }).inputValue();
  await page.getByLabel('From', { exact: true }).fill(to);
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(rows).toHaveCount(2);

  await expectNoSeriousA11yProblems(page);
});
