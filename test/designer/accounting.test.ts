import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../engine/calendar/civil-date.ts';
import { vietnamDateOf, vietnamInstant } from '../../engine/calendar/index.ts';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';
import { AGENCY_X, AGENCY_Y, createTwoAgencies } from '../support/identities.ts';
import { sandboxPayments, type SandboxPayments } from '../support/payment-fixtures.ts';
import { createTestAccount, signInPage } from '../support/sign-in.ts';

/**
 * The agency accountant's screen /ke-toan (issue 13; docs/payments.md): the transactions with
 * their statuses in Vietnamese (Circular 01 Art. 28.1), the money and dates as Vietnamese write
 * them, a day reconciled with a statement file finding the planted mismatch, and the marks of
 * Art. 28.3–28.4 recorded with who. Chromium at 1366×768, the real sandbox provider on loopback.
 */
describe.runIf(browserAvailable)('the accountant screen /ke-toan (Chromium, 1366×768)', () => {
  const designer = useDesignerPage({ signedIn: false });
  const page = () => designer.page;
  let payments: SandboxPayments;
  let paid: { id: string; code: string };
  let refused: { id: string; code: string };
  const yesterday = addDays(vietnamDateOf(new Date()), -1);
  const stranger = `${AGENCY_X.code}.2-261205000077`;

  beforeAll(async () => {
    const { db } = designer.database;
    await createTwoAgencies(db);
    payments = await sandboxPayments(db, designer.api.url, [AGENCY_X, AGENCY_Y]);
    paid = await payments.pay(AGENCY_X, 1_400_000, 'pay');
    refused = await payments.pay(AGENCY_X, 20_013, 'pay');
    await payments.pay(AGENCY_Y, 50_000, 'pay'); // another agency's: never on X's screen
    const accountant = await createTestAccount(db, { username: 'ketoan.x', displayName: 'Lê Thị Kế Toán', roles: ['official'], memberships: [{ agencyCode: AGENCY_X.code, function: 'chuyen-vien' }] });
    await signInPage(page(), designer.api, accountant);
    return () => payments.close();
  });

  it("lists the agency's transactions with Vietnamese amounts, dates and status names", async () => {
    await page().goto(`${designer.api.url}/ke-toan`);
    const table = page().getByTestId('transactions');
    await table.locator('tbody tr').nth(1).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(2);
    const first = await table.locator('tbody tr').nth(0).textContent();
    const second = await table.locator('tbody tr').nth(1).textContent();
    expect(first).toContain(refused.code);
    expect(first).toContain('20.013 đ');
    expect(first).toContain('Thanh toán thất bại');
    expect(second).toContain(paid.code);
    expect(second).toContain('1.400.000 đ');
    expect(second).toContain('Thanh toán thành công');
    expect(second).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    expect(await page().getByTestId('transactions-total').textContent()).toBe('2 giao dịch');
  });

  it('records "Payment received" on the paid transaction, by keyboard, with who and when', async () => {
    await page().getByRole('button', { name: paid.code }).focus();
    await page().keyboard.press('Enter');
    const detail = page().getByTestId('transaction-detail');
    await detail.waitFor();
    expect(await detail.textContent()).toContain('Thanh toán thành công');
    const mark = page().getByTestId('mark-payment-received');
    await mark.getByRole('button', { name: 'Ghi nhận' }).click();
    await expect.poll(() => mark.textContent()).toContain('ketoan.x');
    const stored = await designer.database.db('payment_transactions').where({ id: paid.id }).first<{ payment_received_by: string; payment_received_at: Date | null }>('payment_received_by', 'payment_received_at');
    expect(stored).toMatchObject({ payment_received_by: 'account:ketoan.x' });
    expect(stored.payment_received_at).not.toBeNull();
    // A failed payment cannot be marked: its buttons are disabled.
    await page().getByRole('button', { name: refused.code }).click();
    await expect.poll(() => page().getByTestId('transaction-detail').textContent()).toContain(refused.code);
    expect(await page().getByTestId('mark-documents-received').getByRole('button').isDisabled()).toBe(true);
  });

  it('reconciles yesterday with a statement file and shows the planted line that is not ours', async () => {
    const { db } = designer.database;
    // Planted: a payment left processing yesterday (the T-1 review flags it).
    const stuck = await payments.pay(AGENCY_X, 7_000, 'none');
    await db('payment_transactions').where({ id: stuck.id }).update({ status: 'processing', created_at: vietnamInstant(yesterday, 540) });
    await page().getByTestId('tab-reconcile').click();
    const day = page().getByTestId('reconcile-day');
    expect(await day.inputValue()).toBe(`${yesterday.slice(8)}/${yesterday.slice(5, 7)}/${yesterday.slice(0, 4)}`);
    const statement = JSON.stringify({ day: yesterday, entries: [{ transactionCode: stranger, reference: 'ref-77', amountVnd: 250_000, serviceFeeVnd: 1_100, status: 'paid', at: vietnamInstant(yesterday, 600).toISOString() }] });
    await page().getByTestId('statement-file').setInputFiles({ name: 'sao-ke.json', mimeType: 'application/json', buffer: Buffer.from(statement) });
    await page().getByTestId('reconcile-run').click();
    const run = page().getByTestId('reconciliation-run');
    await run.waitFor();
    expect(await run.textContent()).toContain('chênh lệch 1');
    expect(await run.textContent()).toContain('còn "Đang xử lý" đến T-1: 1');
    const mismatches = run.locator('table[data-kind="not-ours"]');
    expect(await mismatches.locator('caption').textContent()).toBe('Có trong sao kê, không có trong hệ thống (1)');
    expect(await mismatches.locator('tbody').textContent()).toContain(stranger);
    expect(await mismatches.locator('tbody').textContent()).toContain('250.000 đ');
    expect(await db('payment_reconciliations').where({ day: yesterday }).first()).toMatchObject({ source: 'file', ran_by: 'account:ketoan.x', mismatch_count: 1, processing_flagged: 1 });
    // The list now shows the flag of the T-1 review.
    await expect.poll(() => page().getByTestId('transactions').textContent()).toContain('Cần rà soát');
    expect(await page().evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    await page().screenshot({ path: path.join(screenshots, 'accounting-reconciliation.png') });
  });

  it('shows the collection settings, refuses a bad CITAD code in the server\'s words, and speaks English on request', async () => {
    await page().getByTestId('tab-settings').click();
    const citad = page().getByTestId('settings-citadCode');
    await expect.poll(() => citad.inputValue()).toBe('01701001');
    await citad.fill('123');
    await page().getByRole('button', { name: 'Lưu thiết lập' }).click();
    // A specialist may not change them: only an approver (the server says so).
    const problem = page().getByTestId('settings-problem');
    await problem.waitFor();
    expect(await problem.getAttribute('data-code')).toBe('payment.function-required');
    expect((await designer.database.db('payment_collection_settings').where({ agency_code: AGENCY_X.code }).first<{ citad_code: string }>('citad_code')).citad_code).toBe('01701001');
    await page().getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page().getByTestId('tab-reconcile').textContent()).toBe('Reconciliation');
    await page().getByTestId('tab-detail').click();
    expect(await page().getByTestId('transactions').textContent()).toContain('1,400,000 VND');
    await page().screenshot({ path: path.join(screenshots, 'accounting-english.png') });
    expect(designer.pageErrors.filter((error) => !error.includes('403'))).toEqual([]);
  });
});
