import path from 'node:path';
import ExcelJS from 'exceljs';
import { pino } from 'pino';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoData, DEMO_PASSWORD } from '../../server/identity/demo.ts';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';
import { seedIndicatorFixture, type IndicatorFixture } from '../support/indicator-fixture.ts';

/**
 * Issue 14's indicators dashboard in Chromium at 1366×768 (docs/indicators.md): over the fixture
 * of test/support/indicator-fixture.ts, March 2026, the figures shown equal the hand count below
 * (the same as test/server/indicators.test.ts), in Vietnamese number format; the table by agency
 * and procedure; the workbook downloaded from the button and read back; the English switch; then
 * the applicant rates an ended dossier in the portal, and the satisfaction figures move.
 */
const HAND_COUNT: Record<string, [numerator: number, denominator: number, shown: string]> = {
  'transparency.receipt-notified': [7, 8, '87,5 %'],
  'transparency.outcome-notified': [4, 5, '80 %'],
  'progress.receipt-on-time': [5, 6, '83,3 %'],
  'progress.settled-on-time': [4, 5, '80 %'],
  'progress.in-progress-on-time': [1, 3, '33,3 %'],
  'online-service.online-submission': [8, 8, '100 %'],
  'online-service.online-payment': [1, 3, '33,3 %'],
  'satisfaction.rated': [4, 5, '80 %'],
  'satisfaction.satisfied': [2, 4, '50 %'],
  'satisfaction.average-score': [14, 4, '3,5'],
  'digitization.dossiers-digitized': [1, 8, '12,5 %'],
  'digitization.results-digitized': [3, 4, '75 %'],
};

describe.runIf(browserAvailable)('the indicators dashboard (issue 14)', () => {
  const product = useDesignerPage({ signedIn: false });
  let context: BrowserContext;
  let page: Page;
  let fx: IndicatorFixture;
  const errors: string[] = [];

  const watch = (watched: Page) => {
    watched.on('pageerror', (error) => errors.push(error.message));
    watched.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
  };
  const signIn = async (on: Page, username: string) => {
    await on.getByLabel('Tên đăng nhập').fill(username);
    await on.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
    await on.keyboard.press('Enter');
  };
  const showMarch = async () => {
    await page.getByTestId('filter-from').fill('01/03/2026');
    await page.getByTestId('filter-to').fill('31/03/2026');
    await page.getByRole('button', { name: 'Xem', exact: true }).click();
  };

  beforeAll(async () => {
    const db = product.database.db;
    await createDemoData(db, pino({ level: 'silent' }));
    fx = await seedIndicatorFixture(db);
    context = await product.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', acceptDownloads: true });
    page = await context.newPage();
    watch(page);
    await page.goto(`${product.api.url}/chi-so`);
    await signIn(page, 'kiemsoat');
    await page.getByTestId('received').waitFor();
  }, 180_000);
  afterAll(async () => {
    await context?.close();
  });

  it('shows every figure equal to the hand count, in Vietnamese number format', async () => {
    await showMarch();
    await expect.poll(() => page.getByTestId('received').textContent(), { timeout: 10_000 }).toBe('Hồ sơ tiếp nhận trong kỳ: 8');
    for (const [id, [numerator, denominator, shown]] of Object.entries(HAND_COUNT)) {
      const figure = page.getByTestId(`figure-${id}`);
      expect(await figure.getByTestId('value').textContent(), id).toBe(shown);
      expect(await figure.getByTestId('counts').textContent(), id).toBe(`${numerator} / ${denominator}`);
    }
    // By agency and procedure: the commune's two procedures and the province's one.
    const rows = page.getByTestId('indicator-row');
    expect(await rows.count()).toBe(3);
    const xaP2 = page.locator(`[data-testid="indicator-row"][data-agency="DEMO.01.H01"][data-procedure="${fx.procedures.p2.key}"]`);
    expect(await xaP2.locator('[data-indicator="received"]').textContent()).toBe('2');
    expect(await xaP2.locator('[data-indicator="transparency.receipt-notified"]').textContent()).toBe('50 %');
    expect(await xaP2.locator('[data-indicator="online-service.online-payment"]').textContent()).toBe('chưa có');
    // The page fits 1366 wide: no horizontal scrolling of the page itself.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    await page.screenshot({ path: path.join(screenshots, 'indicators-vi.png') });
  });

  it('filters by agency', async () => {
    await page.getByTestId('filter-agency').selectOption('DEMO.02.H01');
    await page.getByRole('button', { name: 'Xem', exact: true }).click();
    await expect.poll(() => page.getByTestId('received').textContent(), { timeout: 10_000 }).toBe('Hồ sơ tiếp nhận trong kỳ: 1');
    expect(await page.getByTestId('figure-satisfaction.average-score').getByTestId('value').textContent()).toBe('2');
    await page.getByTestId('filter-agency').selectOption('');
    await page.getByRole('button', { name: 'Xem', exact: true }).click();
    await expect.poll(() => page.getByTestId('received').textContent(), { timeout: 10_000 }).toBe('Hồ sơ tiếp nhận trong kỳ: 8');
  });

  it('downloads the workbook with the same figures', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    expect(download.suggestedFilename()).toBe('chi-so-766_2026-03-01_2026-03-31.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path()));
    const sheet = workbook.getWorksheet('Chỉ số')!;
    let total: ExcelJS.Row | undefined;
    let names: ExcelJS.Row | undefined;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === 'Tổng cộng') total = row;
      if (row.getCell(4).value === 'Hồ sơ được gửi thông báo tiếp nhận') names = row;
    });
    expect(total!.getCell(3).value).toBe(8);
    // The columns follow the groups' order; each value is the hand count's fraction (or the mean).
    const report = (await (await page.request.get(`${product.api.url}/api/indicators?from=2026-03-01&to=2026-03-31`)).json()) as { groups: Array<{ indicators: Array<{ id: string; name: { vi: string } }> }> };
    report.groups.flatMap((group) => group.indicators).forEach((indicator, i) => {
      const [numerator, denominator] = HAND_COUNT[indicator.id]!;
      expect(names!.getCell(4 + i).value).toBe(indicator.name.vi);
      expect(total!.getCell(4 + i).value as number).toBeCloseTo(indicator.id === 'satisfaction.average-score' ? 3.5 : numerator / denominator, 10);
    });
  });

  it('downloads the half-yearly report of Decree 45 Art. 26.9 / 27.8 from its button', async () => {
    await page.getByTestId('half-year').selectOption('2026-1');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-half-year').click()]);
    expect(download.suggestedFilename()).toBe('bao-cao-6-thang_2026-1.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path()));
    const sheet = workbook.getWorksheet('Chỉ số')!;
    expect(sheet.getRow(1).getCell(1).text).toBe('Báo cáo 6 tháng đầu năm 2026 về tình hình, kết quả thực hiện Nghị định 45/2020/NĐ-CP');
    expect(sheet.getRow(3).getCell(1).text).toBe('Kỳ: 15/12/2025 – 14/06/2026');
    let received: unknown;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === 'Tổng cộng') received = row.getCell(3).value;
    });
    // Every fixture dossier, 1–10, was received between 15 December 2025 and 14 June 2026.
    expect(received).toBe(10);
  });

  it('switches to English', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getByTestId('received').textContent(), { timeout: 10_000 }).toBe('Dossiers received in the period: 8');
    expect(await page.getByTestId('figure-transparency.receipt-notified').getByTestId('value').textContent()).toBe('87.5 %');
    await page.screenshot({ path: path.join(screenshots, 'indicators-en.png') });
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await expect.poll(() => page.getByTestId('received').textContent(), { timeout: 10_000 }).toBe('Hồ sơ tiếp nhận trong kỳ: 8');
  });

  it('takes the applicant’s rating in the portal, once, and the dashboard counts it', async () => {
    const citizenContext = await product.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    try {
      const portal = await citizenContext.newPage();
      watch(portal);
      // Dossier 3: refused, ended, not rated.
      await portal.goto(`${product.api.url}/cong-dich-vu?ho-so=${fx.dossiers[3]!.id}`);
      await signIn(portal, '001099054321');
      const rating = portal.getByTestId('rating');
      await rating.waitFor();
      // No score chosen: told so, nothing sent.
      await rating.getByRole('button', { name: 'Gửi đánh giá' }).click();
      await rating.getByText('Hãy chọn số điểm').waitFor();
      await rating.getByLabel('5 – Rất hài lòng').check();
      await rating.getByLabel('Góp ý (không bắt buộc)').fill('Cán bộ hướng dẫn tận tình');
      await rating.screenshot({ path: path.join(screenshots, 'portal-rating-form-vi.png') });
      await rating.getByRole('button', { name: 'Gửi đánh giá' }).click();
      await portal.getByTestId('rating-given').waitFor();
      expect(await portal.getByTestId('rating-given').textContent()).toMatch(/^Bạn đã đánh giá 5\/5 lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\. “Cán bộ hướng dẫn tận tình”$/);
      await portal.getByTestId('rating').screenshot({ path: path.join(screenshots, 'portal-rating-vi.png') });
      // A dossier still in progress offers no rating.
      await portal.goto(`${product.api.url}/cong-dich-vu?ho-so=${fx.dossiers[4]!.id}`);
      await portal.getByTestId('dossier-status').waitFor();
      expect(await portal.getByTestId('rating').count()).toBe(0);
    } finally {
      await citizenContext.close();
    }
    await page.getByRole('button', { name: 'Xem', exact: true }).click();
    await expect.poll(() => page.getByTestId('figure-satisfaction.rated').getByTestId('counts').textContent(), { timeout: 10_000 }).toBe('5 / 5');
    expect(await page.getByTestId('figure-satisfaction.average-score').getByTestId('value').textContent()).toBe('3,8');
    expect(errors).toEqual([]);
  });
});
