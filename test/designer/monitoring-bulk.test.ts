import path from 'node:path';
import { pino } from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDemoData } from '../../server/identity/demo.ts';
import { useJobRunner } from '../support/api-server.ts';
import { BIRTH_PROCEDURE, signInDemo, submitBirthDossier } from '../support/birth-dossier.ts';
import { browserAvailable } from '../support/browser.ts';
import { demoBrowserSessions } from '../support/demo-browser.ts';
import { callAs } from '../support/identities.ts';
import { bpmnProcess, flows } from '../support/process.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';

/**
 * Issue 14's bulk migration screen in Chromium at 1366×768 (docs/monitoring.md): on the birth
 * registration's procedure screen the operator opens "Chuyển phiên bản hàng loạt" from the
 * keyboard, sees how many running dossiers would migrate to the newer version and how many would
 * not (those at the step the new version renamed, named), migrates them in pages of 100 with
 * progress, and reads the outcome in Vietnamese and English. Then, on an instance standing at two
 * parallel branches, the move panel moves both out of the block in one intervention.
 */
describe.runIf(browserAvailable)('migrating a procedure’s running dossiers in the browser (issue 14)', () => {
  const product = useDesignerPage({ signedIn: false });
  useJobRunner(product);
  const sessions = demoBrowserSessions(product);
  let page: Page;
  let v1: { id: string; version: number; xml: string };
  const errors: string[] = [];
  const AT_RECEIPT = 120;
  const AT_VERIFY = 5;

  beforeAll(async () => {
    const db = product.database.db;
    await createDemoData(db, pino({ level: 'silent' }));
    const dossier = await submitBirthDossier(product.api, await signInDemo(product.api, '001099054321'));
    await vi.waitFor(async () => expect((await db('process_instances').where({ id: dossier.instanceId }).first<{ active_element_ids: string[] }>('active_element_ids')).active_element_ids).toEqual(['Task_tiep_nhan']), { timeout: 20_000, interval: 100 });
    // Running instances at the receipt check, as the engine left the real one (its snapshot copied), and a few at verification.
    const copy = (count: number, prefix: string) =>
      db.raw(`insert into process_instances (definition_id, business_key, status, snapshot, variables, active_element_ids, started_at, stepped_at)
        select definition_id, ? || g, status, snapshot, variables, active_element_ids, started_at, stepped_at from process_instances, generate_series(1, ?) g where id = ?`, [prefix, count, dossier.instanceId]);
    await copy(AT_RECEIPT, 'HS-tiep-nhan-');
    const staff = await signInDemo(product.api, 'kiemsoat');
    expect((await callAs(product.api, staff, 'POST', `/api/monitoring/instances/${dossier.instanceId}/move`, { from: 'Task_tiep_nhan', to: 'Task_xac_minh', reason: 'Đã đối chiếu thủ công' })).status).toBe(200);
    await copy(AT_VERIFY - 1, 'HS-xac-minh-');
    // A newer version in which verification has another id: those at it have no counterpart.
    v1 = await db('process_definitions').where({ key: BIRTH_PROCEDURE }).orderBy('version', 'desc').first<{ id: string; version: number; xml: string }>('id', 'version', 'xml');
    const next = await fetch(`${product.api.url}/api/definitions`, { method: 'POST', headers: { 'content-type': 'application/xml', authorization: `Bearer ${product.api.token}` }, body: v1.xml.replaceAll('"Task_xac_minh"', '"Task_xac_minh_moi"') });
    expect(next.status).toBe(201);

    page = await sessions.signedIn('/theo-doi', 'kiemsoat', errors);
    await page.getByRole('heading', { name: 'Tìm hồ sơ' }).waitFor();
  }, 180_000);
  afterAll(async () => {
    await sessions.close();
  });

  it('previews the migration: how many can go, and those that cannot by the step named', async () => {
    await page.goto(`${product.api.url}/theo-doi/thu-tuc/${BIRTH_PROCEDURE}`);
    await page.locator('[data-testid="procedure-diagram"] .mon-count[data-element="Task_tiep_nhan"]').waitFor();
    await page.getByTestId('open-bulk').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('bulk-from');
    expect(await page.getByTestId('bulk-from').locator('option').allTextContents()).toEqual([`Phiên bản ${v1.version}`]);
    expect(await page.getByTestId('bulk-target').locator('option').allTextContents()).toEqual([`Phiên bản ${v1.version + 1}`]);
    const preview = page.getByTestId('bulk-preview');
    await preview.waitFor();
    expect(await preview.textContent()).toContain(`Đang xử lý ở phiên bản này: ${AT_RECEIPT + AT_VERIFY} hồ sơ`);
    expect(await preview.textContent()).toContain(`Chuyển được: ${AT_RECEIPT} hồ sơ`);
    expect(await page.getByTestId('bulk-refused').textContent()).toBe(`${AT_VERIFY} hồ sơ đang ở Kiểm tra, cập nhật CSDL hộ tịch, cấp số định danh cá nhân (Task_xac_minh) (không có bước tương ứng)`);
    const confirm = page.getByTestId('bulk-confirm');
    expect(await confirm.textContent()).toBe(`Chuyển ${AT_RECEIPT} hồ sơ`);
    // A reason first, typed from the keyboard.
    expect(await confirm.isDisabled()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Áp dụng quy trình mới từ quý IV');
    expect(await page.getByTestId('bulk-reason').inputValue()).toBe('Áp dụng quy trình mới từ quý IV');
    await page.screenshot({ path: path.join(screenshots, 'monitoring-bulk-preview-vi.png') });
  });

  it('migrates them page by page with progress, and says what happened in both languages', async () => {
    const db = product.database.db;
    await page.getByTestId('bulk-confirm').focus();
    await page.keyboard.press('Enter');
    const progress = page.getByTestId('bulk-progress');
    await progress.getByText(`Xong: đã chuyển ${AT_RECEIPT} hồ sơ, ${AT_VERIFY} hồ sơ không chuyển được.`).waitFor({ timeout: 60_000 });
    expect(await progress.locator('progress').getAttribute('value')).toBe(String(AT_RECEIPT));
    const versions = await db('process_instances as i').join('process_definitions as d', 'd.id', 'i.definition_id').where({ 'd.key': BIRTH_PROCEDURE, 'i.status': 'active' }).groupBy('d.version').orderBy('d.version').select('d.version', db.raw('count(*)::int as n'));
    expect(versions).toEqual([{ version: v1.version, n: AT_VERIFY }, { version: v1.version + 1, n: AT_RECEIPT }]);
    // Two pages of the bulk route, each instance recorded.
    expect(await db('audit_log').where({ action: 'instance.migrate' }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: String(AT_RECEIPT) }]);
    await expect.poll(async () => db('audit_log').where({ action: `POST /api/monitoring/procedures/${BIRTH_PROCEDURE}/migrate`, status: 200 }).count<Array<{ count: string }>>('* as count'), { timeout: 5000 }).toEqual([{ count: '2' }]);
    await page.screenshot({ path: path.join(screenshots, 'monitoring-bulk-done-vi.png') });
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Migrate running dossiers to a newer version' }).waitFor();
    await progress.getByText(`Done: ${AT_RECEIPT} dossiers migrated, ${AT_VERIFY} could not be.`).waitFor();
    await page.screenshot({ path: path.join(screenshots, 'monitoring-bulk-done-en.png') });
    expect(errors).toEqual([]);
  });
  it('moves both tokens of a parallel instance out of the block from the move panel, in one intervention', async () => {
    const db = product.database.db;
    // A parallel block with a diagram: the panel offers the diagram's steps as targets.
    const at: Record<string, [x: number, y: number, w: number, h: number]> = {
      start: [60, 182, 36, 36], split: [150, 175, 50, 50], police: [250, 80, 100, 80], tax: [250, 240, 100, 80], join: [410, 175, 50, 50], decide: [510, 160, 100, 80], end: [670, 182, 36, 36],
    };
    const pairs = ['start>split', 'split>police', 'split>tax', 'police>join', 'tax>join', 'join>decide', 'decide>end'];
    const centre = (id: string) => [at[id]![0] + at[id]![2] / 2, at[id]![1] + at[id]![3] / 2];
    const diagram = `<bpmndi:BPMNDiagram id="Diagram"><bpmndi:BPMNPlane id="Plane" bpmnElement="Process_song_song">
      ${Object.entries(at).map(([id, [x, y, w, h]]) => `<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${x}" y="${y}" width="${w}" height="${h}"/></bpmndi:BPMNShape>`).join('')}
      ${pairs.map((pair) => pair.split('>')).map(([a, b]) => `<bpmndi:BPMNEdge id="${a}_${b}_di" bpmnElement="${a}_${b}"><di:waypoint x="${centre(a!)[0]}" y="${centre(a!)[1]}"/><di:waypoint x="${centre(b!)[0]}" y="${centre(b!)[1]}"/></bpmndi:BPMNEdge>`).join('')}
    </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>`;
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:parallelGateway id="split"/>
      <bpmn:userTask id="police" name="Xác minh công an"/>
      <bpmn:serviceTask id="tax" name="Đối chiếu thuế" qt:jobType="tax.check"/>
      <bpmn:parallelGateway id="join"/>
      <bpmn:userTask id="decide" name="Quyết định"/>
      <bpmn:endEvent id="end"/>
      ${flows(...pairs)}`, { id: 'Process_song_song' })
      .replace('xmlns:qt=', 'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:qt=')
      .replace('</bpmn:definitions>', `${diagram}</bpmn:definitions>`);
    const headers = { authorization: `Bearer ${product.api.token}` };
    expect((await fetch(`${product.api.url}/api/definitions`, { method: 'POST', headers: { ...headers, 'content-type': 'application/xml' }, body: xml })).status).toBe(201);
    const started = (await (await fetch(`${product.api.url}/api/definitions/Process_song_song/instances`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"businessKey":"HS-song-song"}' })).json()) as { id: string };
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.goto(`${product.api.url}/theo-doi/ho-so/${started.id}`);
    await page.locator('[data-testid="instance-diagram"] .djs-element.mon-active').first().waitFor();
    await page.getByTestId('open-move').focus();
    await page.keyboard.press('Enter');
    // A row per parallel step, the first taking the focus.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('move-to-police');
    await page.getByTestId('move-to-police').selectOption('decide');
    await page.getByTestId('move-to-tax').selectOption('decide');
    await page.getByTestId('move-reason').fill('Cổng thuế không trả lời, đã xác minh trực tiếp');
    await page.screenshot({ path: path.join(screenshots, 'monitoring-move-several-vi.png') });
    await page.getByTestId('move-dialog').getByRole('button', { name: 'Chuyển bước' }).click();
    await page.getByText('Đã chuyển hồ sơ sang bước mới.').waitFor();
    expect((await db('process_instances').where({ id: started.id }).first<{ active_element_ids: string[] }>('active_element_ids')).active_element_ids).toEqual(['decide']);
    expect(await page.getByTestId('history-intervention').textContent()).toBe('Xác minh công an → Quyết định, Đối chiếu thuế → Quyết định · lý do: Cổng thuế không trả lời, đã xác minh trực tiếp');
    const current = page.locator('[data-testid="instance-diagram"] .djs-element.mon-active');
    await expect.poll(() => current.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-element-id')))).toEqual(['decide']);
    expect(errors).toEqual([]);
  });
});
