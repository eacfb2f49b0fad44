import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectionSettings } from '../../engine/payments/revenue.ts';
import { createAgency } from '../../server/identity/agencies.ts';
import { usePaymentProvider, type PaymentProvider } from '../../server/payments/provider.ts';
import { sandboxProvider } from '../../server/payments/sandbox/adapter.ts';
import { sandboxRefundClient } from '../../server/payments/sandbox/refund-client.ts';
import { startPaymentSandbox, type PaymentSandbox } from '../../server/payments/sandbox/service.ts';
import { startApiServer, type ApiServer } from '../support/api-server.ts';
import { browserAvailable, launchChromium } from '../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { screenshots } from '../support/designer-page.ts';
import { sandboxTransaction, saveTestCollectionSettings } from '../support/paid-transactions.ts';
import { createTestAccount, signInPage, type TestAccount } from '../support/sign-in.ts';

/**
 * The RefundsPanel (designer/src/accounting) in Chromium at 1366×768, mounted alone on a test page
 * (test/designer/pages/refunds-panel.tsx, bundled with esbuild and served by the product's server)
 * over the real API, PostgreSQL and sandbox: the accountant prepares a refund typing the amount in
 * Vietnamese, the approver sees the buttons and approves, the sandbox's signed outcome ends it.
 */
const AGENCY = '000.00.01.H01';
const SECRET = 'sandbox-secret-refunds-panel';
let database: TestDatabase;
let api: ApiServer;
let sandbox: PaymentSandbox;
let provider: PaymentProvider;
let settings: CollectionSettings;
let browser: Browser;
let pageDir: string;
let preparer: TestAccount;
let approver: TestAccount;

beforeAll(async () => {
  if (!browserAvailable) return;
  pageDir = await mkdtemp(path.join(tmpdir(), 'refunds-panel-'));
  await build({ entryPoints: [path.join(import.meta.dirname, 'pages/refunds-panel.tsx')], bundle: true, format: 'esm', target: 'es2022', jsx: 'automatic', outfile: path.join(pageDir, 'page.js'), loader: { '.woff': 'dataurl', '.woff2': 'dataurl' }, logLevel: 'silent' });
  await writeFile(path.join(pageDir, 'index.html'), '<!doctype html><html lang="vi"><head><meta charset="utf-8"><link rel="stylesheet" href="/page.css"></head><body><div id="root"></div><script type="module" src="/page.js"></script></body></html>');
  database = await createTestDatabase();
  api = await startApiServer(database.db, pageDir);
  sandbox = await startPaymentSandbox({ secret: SECRET, callbackUrl: `${api.url}/api/payments/callbacks/sandbox` });
  const connection = { url: sandbox.url, secret: SECRET };
  provider = { ...sandboxProvider(connection), ...sandboxRefundClient(connection) };
  usePaymentProvider(provider);
  await createAgency(database.db, { code: AGENCY, name: 'UBND xã Hòa Bình' });
  settings = await saveTestCollectionSettings(database.db, AGENCY, 'UBND xã Hòa Bình');
  preparer = await createTestAccount(database.db, { username: 'ketoan.hoabinh', displayName: 'Lê Thị Kế Toán', roles: ['official'], memberships: [{ agencyCode: AGENCY, function: 'lap-hoan-tra' }] });
  approver = await createTestAccount(database.db, { username: 'duyetchi.hoabinh', displayName: 'Phạm Văn Duyệt', roles: ['official'], memberships: [{ agencyCode: AGENCY, function: 'duyet-hoan-tra' }] });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
  await api?.close();
  await database?.drop();
  if (pageDir) await rm(pageDir, { recursive: true, force: true });
});

async function openPanelAs(account: TestAccount) {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signInPage(page, api, account);
  await page.goto(`${api.url}/?agency=${AGENCY}`);
  await page.getByTestId('refunds-panel').waitFor();
  return { page, errors };
}

describe.skipIf(!browserAvailable)('the refunds panel', () => {
  it('lets the accountant prepare a refund typed in Vietnamese, and another official approve it', async () => {
    const paid = await sandboxTransaction(database.db, sandbox, provider, settings, 1_400_000);
    const { page, errors } = await openPanelAs(preparer);
    const form = page.getByTestId('refunds-prepare');
    await form.getByLabel('Mã giao dịch').fill(paid.code);
    await form.getByLabel('Lý do').selectOption('overpayment');
    await form.getByLabel('Diễn giải').fill('Nộp thừa lệ phí cấp bản sao');
    // The English writing of a number is refused in Vietnamese, naming the form expected.
    await form.getByLabel('Số tiền hoàn trả (đ)').fill('400,000.5');
    await form.getByRole('button', { name: 'Lập chứng từ' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('1.400.000');
    expect(await database.db('payment_refunds').count<Array<{ count: string }>>('* as count')).toEqual([{ count: '0' }]);
    // More than was paid: the server's refusal is shown.
    await form.getByLabel('Số tiền hoàn trả (đ)').fill('1.500.000');
    await form.getByRole('button', { name: 'Lập chứng từ' }).click();
    await expect.poll(async () => page.getByTestId('refunds-problem').getAttribute('data-code')).toBe('payment.refund-exceeds-paid');
    await form.getByLabel('Số tiền hoàn trả (đ)').fill('400.000');
    await form.getByRole('button', { name: 'Lập chứng từ' }).click();
    const row = page.getByTestId('refund-row').first();
    await expect.poll(() => row.getAttribute('data-status')).toBe('prepared');
    expect(await row.textContent()).toContain('400.000 đ');
    expect(await row.getByRole('button').count()).toBe(0);
    const stored = await database.db('payment_refunds').first<{ amount_vnd: string }>('amount_vnd');
    expect(Number(stored.amount_vnd)).toBe(400_000);
    await page.screenshot({ path: path.join(screenshots, 'refunds-panel-prepared.png') });
    expect(errors).toEqual([]);

    const approving = await openPanelAs(approver);
    expect(await approving.page.getByTestId('refunds-prepare').count()).toBe(0);
    const waiting = approving.page.getByTestId('refund-row').first();
    await waiting.getByRole('button', { name: 'Duyệt và gửi' }).press('Enter');
    await sandbox.idle();
    await approving.page.getByRole('button', { name: 'Tải lại' }).click();
    await expect.poll(() => waiting.getAttribute('data-status')).toBe('succeeded');
    expect(await waiting.textContent()).toContain('Hoàn trả thành công');
    await approving.page.screenshot({ path: path.join(screenshots, 'refunds-panel-succeeded.png') });
    expect(approving.errors).toEqual([]);
  });
});
