import path from 'node:path';
import { pino } from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoData } from '../../server/identity/demo.ts';
import { usePaymentProvider } from '../../server/payments/provider.ts';
import { sandboxProvider } from '../../server/payments/sandbox/adapter.ts';
import { startPaymentSandbox, type PaymentSandbox } from '../../server/payments/sandbox/service.ts';
import { verifyStoredTrust } from '../../server/signatures/verify-pdf.ts';
import { useJobRunner } from '../support/api-server.ts';
import { browserAvailable } from '../support/browser.ts';
import { demoBrowserSessions } from '../support/demo-browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';

/**
 * Issue 13's "done when", in Chromium at 1366×768: the catalogue's criminal record certificate as
 * `npm run demo` deploys it (a fee of 200.000 đ after receipt). One citizen pays on the sandbox
 * provider's checkout page, comes back to the portal, and finds the dossier moved on and the
 * signed receipt in it; another's payment is refused by the "bank", the portal says so, and the
 * retry asks for a new transaction that is then paid. Real sandbox service on loopback, real HMAC
 * callbacks, the real job runner and engine.
 */
const PROCEDURE = 'Process_cap_phieu_ly_lich_tu_phap';
const AGENCY = 'DEMO.02.H01';
const SECRET = 'payment-journey-secret';

describe.runIf(browserAvailable)('paying a dossier\'s fee online, in the browser (issue 13)', () => {
  const product = useDesignerPage({ signedIn: false });
  useJobRunner(product);
  const sessions = demoBrowserSessions(product);
  const signedIn = (where: string, username: string) => sessions.signedIn(where, username);
  let sandbox: PaymentSandbox;

  beforeAll(async () => {
    await createDemoData(product.database.db, pino({ level: 'silent' }));
    sandbox = await startPaymentSandbox({ secret: SECRET, callbackUrl: `${product.api.url}/api/payments/callbacks/sandbox`, returnBaseUrl: product.api.url });
    usePaymentProvider(sandboxProvider({ url: sandbox.url, secret: SECRET }));
  });
  afterAll(async () => {
    await sessions.close();
    await sandbox?.close();
  });

  const csrfOf = async (page: Page) => ((await (await page.request.get(`${product.api.url}/api/session`)).json()) as { csrfToken: string }).csrfToken;

  /**
   * The application submitted through the API as the citizen's own session (the portal's form
   * is issue 11's test): the account's data, and the rest as a citizen fills it.
   */
  async function submitApplication(citizen: Page): Promise<{ id: string; code: string }> {
    const form = (await (await citizen.request.get(`${product.api.url}/api/portal/procedures/${PROCEDURE}/form`)).json()) as { form: { version: number }; prefill: { values: Record<string, unknown> } };
    const data = {
      ...form.prefill.values,
      gioiTinh: 'Nữ',
      noiSinh: '01',
      quocTich: 'Việt Nam',
      danToc: 'Kinh',
      hoTenCha: 'Trần Văn Cường',
      hoTenMe: 'Lê Thị Dung',
      quaTrinhCuTru: 'Từ 2009 đến nay: Số 8, ngõ 5 phố Minh Khai, Hà Nội; sinh viên, nhân viên văn phòng',
      loaiPhieu: '1',
      mucDich: 'Bổ sung hồ sơ xin việc',
      soLuongPhieu: 1,
      camKet: true,
    };
    const answer = await citizen.request.post(`${product.api.url}/api/dossiers`, {
      data: { procedureKey: PROCEDURE, agencyCode: AGENCY, formVersion: form.form.version, data, components: [] },
      headers: { 'X-CSRF-Token': await csrfOf(citizen) },
    });
    expect(answer.status(), await answer.text()).toBe(201);
    const { dossier } = (await answer.json()) as { dossier: { id: string; code: string } };
    return dossier;
  }

  /** The province's one-stop desk receives it (Decree 45 Art. 11.3), once the workers brought it to the receipt check. */
  async function receive(desk: Page, dossierId: string): Promise<void> {
    const headers = { 'X-CSRF-Token': await csrfOf(desk) };
    await expect
      .poll(async () => (await desk.request.post(`${product.api.url}/api/dossiers/${dossierId}/receive`, { data: {}, headers })).status(), { timeout: 30_000, interval: 500 })
      .toBe(200);
  }

  /** The citizen's dossier in the portal, reloaded until its payment is offered. */
  async function openPayment(citizen: Page, dossierId: string): Promise<void> {
    await expect
      .poll(async () => {
        await citizen.goto(`${product.api.url}/cong-dich-vu?ho-so=${dossierId}`);
        await citizen.getByTestId('dossier-view').waitFor();
        return citizen.getByTestId('pay').isVisible();
      }, { timeout: 30_000, interval: 1000 })
      .toBe(true);
  }

  it('a citizen pays in the sandbox checkout, comes back, and finds the dossier moved on with its signed receipt', async () => {
    const citizen = await signedIn('/cong-dich-vu', '001099054321');
    const desk = await signedIn('/xu-ly', 'motcua.tinh');
    const dossier = await submitApplication(citizen);
    await receive(desk, dossier.id);
    await openPayment(citizen, dossier.id);

    // Before paying: the amount, the provider's fee (Decree 45 Art. 13.7.b), the status of Art. 28.1.a.
    const payment = citizen.getByTestId('payment');
    expect(await payment.textContent()).toContain('200.000 đ');
    expect(await payment.textContent()).toContain('1.100 đ');
    expect(await citizen.getByTestId('payment-status').textContent()).toBe('Khởi tạo');
    const transactionCode = (await payment.locator('.portal-code').textContent())!;
    expect(transactionCode).toMatch(/^G22\.99\.2-\d{6}\d{6}$/);
    await citizen.screenshot({ path: path.join(screenshots, 'payment-1-to-pay.png') });

    await citizen.getByTestId('pay').click();
    // The provider's page: the total with its fee, then "Thanh toán".
    await citizen.getByText('201.100 đ').waitFor();
    await citizen.getByRole('button', { name: 'Thanh toán / Pay' }).click();
    await citizen.getByRole('heading', { name: 'Thanh toán thành công / Payment successful' }).waitFor();
    await sandbox.idle();
    await citizen.getByRole('link', { name: 'Quay lại hồ sơ / Back to your application' }).click();

    await citizen.getByTestId('dossier-view').waitFor();
    await expect.poll(() => citizen.getByTestId('payment-status').textContent()).toBe('Thanh toán thành công');
    expect(await citizen.getByTestId('pay').count()).toBe(0);
    // The step completed through the engine, once, and the dossier's history says so.
    expect(await citizen.locator('.portal-history').textContent()).toContain(`Đã nộp 200.000 đ, mã giao dịch ${transactionCode}`);
    const completions = await product.database.db('instance_history as h')
      .join('dossiers as d', 'd.instance_id', 'h.instance_id')
      .where({ 'd.id': dossier.id, 'h.element_id': 'Task_thanh_toan', 'h.event_type': 'job.complete' })
      .count<{ count: string }>('* as count').first();
    expect(Number(completions!.count)).toBe(1);
    const moved = await product.database.db('instance_history as h')
      .join('dossiers as d', 'd.instance_id', 'h.instance_id')
      .where({ 'd.id': dossier.id })
      .whereIn('h.element_id', ['Task_tra_cuu_lltp', 'Task_xac_minh_cong_an'])
      .first('h.element_id');
    expect(moved, 'the process went on past the payment step').toBeDefined();

    // The receipt: a PDF signed by the collecting agency, the same file every time.
    const link = citizen.getByTestId('payment-receipt');
    const receiptUrl = new URL((await link.getAttribute('href'))!, product.api.url).href;
    const first = await citizen.request.get(receiptUrl);
    expect(first.status()).toBe(200);
    expect(first.headers()['content-type']).toBe('application/pdf');
    const bytes = await first.body();
    const verified = await verifyStoredTrust(product.database.db, bytes);
    expect(verified.valid, JSON.stringify(verified)).toBe(true);
    expect(Buffer.compare(bytes, await (await citizen.request.get(receiptUrl)).body())).toBe(0);
    await citizen.screenshot({ path: path.join(screenshots, 'payment-2-paid.png') });

    // The agency's desk sees the payment and its receipt on the dossier.
    await desk.goto(`${product.api.url}/xu-ly`);
    await desk.getByTestId('task-search').fill(dossier.code);
    await desk.getByTestId('task-search').press('Enter');
    await desk.getByTestId('dossier-matches').getByRole('button', { name: dossier.code }).click();
    const deskPayments = desk.getByTestId('dossier-payments');
    await deskPayments.waitFor();
    expect(await deskPayments.textContent()).toContain(transactionCode);
    expect(await deskPayments.textContent()).toContain('Thanh toán thành công');
    await deskPayments.scrollIntoViewIfNeeded();
    await desk.screenshot({ path: path.join(screenshots, 'payment-5-workspace.png') });

    // Another citizen cannot read it: the dossier is not theirs (404, nothing revealed).
    const other = await signedIn('/cong-dich-vu', '001099012345');
    expect((await other.request.get(receiptUrl)).status()).toBe(404);
  });

  it("another citizen's payment is refused by the bank; the portal says so and a retry is paid with a new code", async () => {
    const citizen = await signedIn('/cong-dich-vu', '001099012345');
    const desk = await signedIn('/xu-ly', 'motcua.tinh');
    const dossier = await submitApplication(citizen);
    await receive(desk, dossier.id);
    await openPayment(citizen, dossier.id);
    const failedCode = (await citizen.getByTestId('payment').locator('.portal-code').textContent())!;

    // The sandbox's "bank" refuses this amount (failures on demand, docs/payments.md).
    sandbox.behaviour.failAmountsEndingIn = '200000';
    await citizen.getByTestId('pay').click();
    await citizen.getByRole('button', { name: 'Thanh toán / Pay' }).click();
    await citizen.getByRole('heading', { name: 'Thanh toán không thành công / Payment failed' }).waitFor();
    await sandbox.idle();
    sandbox.behaviour.failAmountsEndingIn = '13';
    await citizen.getByRole('link', { name: 'Quay lại hồ sơ / Back to your application' }).click();

    await expect.poll(() => citizen.getByTestId('payment-status').first().textContent()).toBe('Thanh toán không thành công');
    expect(await citizen.locator('.portal-history').textContent()).toContain(`Thanh toán 200.000 đ không thành công, mã giao dịch ${failedCode}`);
    await citizen.getByTestId('retry-payment').waitFor();
    await citizen.screenshot({ path: path.join(screenshots, 'payment-3-failed.png') });

    await citizen.getByTestId('retry-payment').click();
    // The step's job asks for a new transaction: a new code, offered for payment above the failed one.
    await expect
      .poll(async () => {
        await citizen.reload();
        await citizen.getByTestId('dossier-view').waitFor();
        return citizen.getByTestId('pay').isVisible();
      }, { timeout: 30_000, interval: 1000 })
      .toBe(true);
    const retryCode = (await citizen.getByTestId('payment').first().locator('.portal-code').textContent())!;
    expect(retryCode).not.toBe(failedCode);
    expect(await citizen.getByTestId('payment').count()).toBe(2);
    expect(await citizen.getByTestId('retry-payment').count()).toBe(0);

    await citizen.getByTestId('pay').click();
    await citizen.getByRole('button', { name: 'Thanh toán / Pay' }).click();
    await citizen.getByRole('heading', { name: 'Thanh toán thành công / Payment successful' }).waitFor();
    await sandbox.idle();
    await citizen.getByRole('link', { name: 'Quay lại hồ sơ / Back to your application' }).click();
    await expect.poll(() => citizen.getByTestId('payment-status').first().textContent()).toBe('Thanh toán thành công');
    await citizen.getByTestId('payment-receipt').waitFor();
    // A retry once paid is refused: nothing failed is waiting.
    const again = await citizen.request.post(`${product.api.url}/api/dossiers/${dossier.id}/payments/retry`, { data: {}, headers: { 'X-CSRF-Token': await csrfOf(citizen) } });
    expect(again.status()).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe('payment.nothing-to-retry');
    await citizen.screenshot({ path: path.join(screenshots, 'payment-4-retried.png') });
  });
});
