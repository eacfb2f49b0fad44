import path from 'node:path';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoData } from '../../server/identity/demo.ts';
import { BIRTH_PROCEDURE, signInDemo, submitBirthDossier } from '../support/birth-dossier.ts';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';

/**
 * The test-run screen /kiem-thu-dich-vu (issue 14; Circular 01/2023 Art. 20,
 * docs/service-test-runs.md) as procedure-control staff meet it in Chromium at 1366×768: every
 * procedure the demo publishes with its due time; a stopped one published again; the checklist
 * recorded by keyboard against a real dossier, a wrong dossier code refused in the server's words
 * with the field marked; the recorded test beside what the dossier shows; English on request.
 */
describe.runIf(browserAvailable)('the service test-run screen (Chromium, 1366×768)', () => {
  const designer = useDesignerPage();
  const page = () => designer.page;
  const RESIDENCE = 'Process_dang_ky_thuong_tru';
  let dossierCode: string;

  beforeAll(async () => {
    const { db } = designer.database;
    await createDemoData(db, pino({ level: 'silent' }));
    dossierCode = (await submitBirthDossier(designer.api, await signInDemo(designer.api, '001099054321'))).code;
  }, 120_000);

  const row = (key: string) => page().getByTestId('publications').locator(`tr[data-key="${key}"]`);

  it('lists every published procedure awaiting its test, with its due time the Vietnamese way', async () => {
    await page().goto(`${designer.api.url}/kiem-thu-dich-vu`);
    await row(BIRTH_PROCEDURE).waitFor();
    const published = await designer.database.db('service_publications').whereNull('superseded_at').count<Array<{ count: string }>>({ count: '*' });
    expect(await page().getByTestId('publications').locator('tbody tr').count()).toBe(Number(published[0]!.count));
    const text = await row(BIRTH_PROCEDURE).textContent();
    expect(text).toContain('Đang chờ kiểm thử');
    expect(text).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}.*\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  });

  it('shows a stopped service and publishes it again', async () => {
    await designer.database.db('service_publications').whereNull('superseded_at').where({ definition_key: RESIDENCE }).update({ due_at: new Date(Date.now() - 60_000) });
    await page().getByTestId('status-filter').selectOption('stopped');
    await expect.poll(() => page().getByTestId('publications').locator('tbody tr').count()).toBe(1);
    await row(RESIDENCE).getByRole('button').click();
    const note = page().getByTestId('stopped-note');
    await note.waitFor();
    expect(await note.textContent()).toContain('Điều 20.3');
    await note.getByRole('button', { name: /Công khai lại/ }).click();
    await expect.poll(() => page().getByTestId('test-run-panel').textContent()).toContain('Đã công khai lại');
    expect(await row(RESIDENCE).textContent()).toContain('Đang chờ kiểm thử');
    await page().getByTestId('status-filter').selectOption('');
  });

  it('records the checklist by keyboard against a real dossier, after refusing a wrong code', async () => {
    await row(BIRTH_PROCEDURE).getByRole('button').focus();
    await page().keyboard.press('Enter');
    const panel = page().getByTestId('test-run-panel');
    await panel.getByText('Nội dung kiểm thử (Điều 20.2)').waitFor();
    // Item d fails: the signature did not show (Art. 20.2.d).
    await panel.getByRole('radiogroup', { name: /d\) Xử lý hồ sơ/ }).getByLabel('Không đạt').check();
    await page().getByTestId('dossier-code').fill('KHONG-CO-HO-SO');
    await page().getByTestId('service-code').fill('1.001193.000.00.00.H12');
    await page().getByTestId('service-code').press('Enter');
    const problem = page().getByTestId('test-run-problem');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('không phải hồ sơ nộp trực tuyến');
    expect(await page().getByTestId('dossier-code').getAttribute('aria-invalid')).toBe('true');
    await page().getByTestId('dossier-code').fill(dossierCode);
    await page().getByTestId('dossier-code').press('Enter');
    const recorded = page().getByTestId('recorded-test');
    await recorded.waitFor();
    expect(await recorded.textContent()).toContain('Không đạt');
    expect(await recorded.textContent()).toContain(dossierCode);
    expect(await page().getByTestId('evidence').textContent()).toMatch(/Nộp trực tuyến lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    expect(await row(BIRTH_PROCEDURE).textContent()).toContain('Đã kiểm thử');
    const stored = await designer.database.db('service_publications').whereNull('superseded_at').where({ definition_key: BIRTH_PROCEDURE }).first<{ tested_by: string; test_record: { items: Record<string, string>; dossierCode: string } }>('tested_by', 'test_record');
    expect(stored.tested_by).toBe(`account:${designer.staff!.username}`);
    expect(stored.test_record).toMatchObject({ dossierCode, items: { 'processing-and-signature': 'failed', sso: 'passed' } });
    await page().screenshot({ path: path.join(screenshots, 'service-test-runs.png') });
  });

  it('speaks English on request', async () => {
    await page().getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page().getByTestId('recorded-test').textContent()).toContain('Failed');
    expect(await row(BIRTH_PROCEDURE).textContent()).toContain('Tested');
    await page().screenshot({ path: path.join(screenshots, 'service-test-runs-english.png') });
    expect(designer.pageErrors.filter((error) => !error.includes('422'))).toEqual([]);
  });
});
