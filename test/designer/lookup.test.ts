import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';

/** A one-step procedure: its instances are dossiers known by their business key (the dossier code). */
const PROCEDURE = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_tra_cuu" targetNamespace="urn:quytrinh:test">
  <bpmn:process id="Process_tra_cuu" name="Xác nhận tình trạng hôn nhân (thử nghiệm)" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:userTask id="Task_xu_ly" name="Thẩm định hồ sơ" />
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Task_xu_ly" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_xu_ly" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

const ACTIVE = '000.01.01.H01-261206-0007';
const COMPLETED = '000.01.01.H01-261206-0008';
/** What the applicant entered: the public lookup must never show it (Circular 01 Art. 23.5.a). */
const PRIVATE_NAME = 'Phạm Thị Thu Hằng';

describe.runIf(browserAvailable)('the public lookup /tra-cuu (Chromium, 1366×768, not signed in)', () => {
  const designer = useDesignerPage({ signedIn: false });
  const page = () => designer.page;

  beforeAll(async () => {
    const deployed = await designer.api.fetch('/api/definitions', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: PROCEDURE });
    expect(deployed.status).toBe(201);
    for (const businessKey of [ACTIVE, COMPLETED]) {
      const started = await designer.api.fetch('/api/definitions/Process_tra_cuu/instances', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ businessKey, variables: { hoTen: PRIVATE_NAME } }) });
      expect(started.status).toBe(201);
    }
    // The second dossier is settled: its one task completed by the administrator.
    const { id: instanceId } = (await designer.database.db('process_instances').where({ business_key: COMPLETED }).first<{ id: string }>('id'));
    const tasks = (await (await designer.api.fetch(`/api/tasks?instanceId=${instanceId}`)).json()) as { items: Array<{ id: string }> };
    const completed = await designer.api.fetch(`/api/tasks/${tasks.items[0]!.id}/complete`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(completed.status).toBe(200);
  });

  it('looks a code up from the form by keyboard alone: the procedure and completion level, nothing more', async () => {
    await page().goto(`${designer.api.url}/tra-cuu`);
    const field = page().getByLabel('Mã hồ sơ');
    await field.waitFor();
    // The code field has the focus: type and press Enter.
    expect(await field.evaluate((input) => input === document.activeElement)).toBe(true);
    await page().keyboard.type(ACTIVE);
    await page().keyboard.press('Enter');
    const answer = page().getByTestId('lookup-answer');
    await answer.waitFor();
    expect(await page().getByTestId('lookup-procedure').textContent()).toBe('Xác nhận tình trạng hôn nhân (thử nghiệm)');
    expect(await page().getByTestId('lookup-level').textContent()).toBe('Đang giải quyết');
    // Only the three facts of Art. 23.5.a: no applicant's data, no steps.
    expect(await answer.locator('dt').allTextContents()).toEqual(['Mã hồ sơ', 'Thủ tục', 'Mức độ hoàn thành']);
    expect(await page().locator('body').textContent()).not.toContain(PRIVATE_NAME);
    expect(await page().locator('body').textContent()).not.toContain('Thẩm định hồ sơ');
    // The address names the code, as the printed QR codes do.
    expect(new URL(page().url()).pathname).toBe(`/tra-cuu/${ACTIVE}`);
    // Art. 23.5.b: more for whoever signs in.
    expect(await page().getByRole('link', { name: 'Đăng nhập để xem thêm' }).getAttribute('href')).toBe('/cong-dich-vu');
    expect(await page().evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    await page().screenshot({ path: path.join(screenshots, 'lookup-form.png') });
  });

  it('looks up the code in the address directly (where QR codes lead), in Vietnamese and English', async () => {
    await page().goto(`${designer.api.url}/tra-cuu/${COMPLETED}`);
    await page().getByTestId('lookup-answer').waitFor();
    expect(await page().getByTestId('lookup-level').textContent()).toBe('Đã có kết quả');
    expect(await page().getByLabel('Mã hồ sơ').inputValue()).toBe(COMPLETED);
    await page().getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page().getByTestId('lookup-level').textContent()).toBe('Result issued');
    expect(await page().getByRole('heading', { name: 'Dossier lookup' }).isVisible()).toBe(true);
    await page().getByRole('button', { name: 'Tiếng Việt' }).click();
    await expect.poll(() => page().getByTestId('lookup-level').textContent()).toBe('Đã có kết quả');
  });

  it("says so, in the server's words, when no dossier has the code", async () => {
    const missing = '000.01.01.H01-261206-9999';
    const refusal = await fetch(`${designer.api.url}/api/lookup/${missing}`);
    expect(refusal.status).toBe(404);
    const { messages } = (await refusal.json()) as { messages: { vi: string; en: string } };
    expect(messages.vi).toContain(missing);
    await page().goto(`${designer.api.url}/tra-cuu/${missing}`);
    const problem = page().getByTestId('lookup-problem');
    await problem.waitFor();
    expect(await problem.locator('p').textContent()).toBe(messages.vi);
    expect(await page().getByTestId('lookup-answer').count()).toBe(0);
    await page().getByRole('button', { name: 'English' }).click();
    await expect.poll(() => problem.locator('p').textContent()).toBe(messages.en);
    await page().getByRole('button', { name: 'Tiếng Việt' }).click();
    await page().screenshot({ path: path.join(screenshots, 'lookup-not-found.png') });
  });
});
