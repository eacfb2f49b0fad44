import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/paths.ts';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';

const landModel = path.join(projectRoot, 'processes/cap-giay-chung-nhan-quyen-su-dung-dat-lan-dau/to-be.bpmn');

describe.runIf(browserAvailable)('the designer: the engine’s attributes in the properties panel (Chromium)', () => {
  const designer = useDesignerPage();
  const page = () => designer.page;
  const shape = (id: string) => page().locator(`.djs-element[data-element-id="${id}"]`);
  const panel = () => page().getByTestId('properties-panel');
  const entry = (id: string) => panel().locator(`[data-entry-id="${id}"]`);
  const errorOf = (id: string) => entry(id).locator('.bio-properties-panel-error');
  const documentsPerDossier = async () => Number(/([\d,]+) giấy tờ/.exec((await page().locator('.cost-details').textContent()) ?? '')?.[1]?.replace(',', '.'));
  /** Clicks a shape as a user would, after clicking the empty canvas so no context pad covers it. */
  const select = async (id: string) => {
    const canvas = await page().getByTestId('canvas').boundingBox();
    if (!canvas) throw new Error('canvas has no box');
    await page().mouse.click(canvas.x + canvas.width / 2, canvas.y + canvas.height - 60);
    await shape(id).click();
  };
  /** A sequence flow is a thin line: selected through bpmn-js's selection, as a click on it would. */
  const selectFlow = (id: string) =>
    page().evaluate((flowId) => {
      const modeler = window.quyTrinhModeler!;
      modeler.get<{ select(element: unknown): void }>('selection').select(modeler.get<{ get(id: string): unknown }>('elementRegistry').get(flowId));
    }, id);
  const exportedXml = async () => {
    const [download] = await Promise.all([page().waitForEvent('download'), page().getByRole('button', { name: 'Tải BPMN' }).click()]);
    return readFile(await download.path(), 'utf8');
  };

  it('opens the land-use certificate (to-be) and checks a flow’s FEEL condition as it is typed', async () => {
    await page().goto(designer.api.url);
    await page().locator('input[type="file"]').setInputFiles(landModel);
    await shape('Task_nop_truc_tuyen').waitFor();
    await selectFlow('Flow_Gateway_hop_le_Task_huong_dan');
    const condition = panel().getByLabel('Điều kiện (FEEL)');
    expect(await condition.inputValue()).toBe('= canBoSung = true');
    await condition.fill('canBoSung = ');
    await expect.poll(() => errorOf('qt-condition').textContent()).toMatch(/^Biểu thức FEEL chưa đúng cú pháp/);
    await condition.fill('canBoSung = true and soGiayToThieu > 0');
    await expect.poll(() => errorOf('qt-condition').count()).toBe(0);
    // The default flow says it needs none, and the gateway names it.
    await selectFlow('Flow_Gateway_hop_le_Task_ma_ho_so');
    await expect.poll(() => entry('qt-condition').locator('.bio-properties-panel-description').textContent()).toContain('Đây là luồng mặc định của cổng');
    await select('Gateway_hop_le');
    expect(await panel().getByLabel('Luồng mặc định').inputValue()).toBe('Flow_Gateway_hop_le_Task_ma_ho_so');

    const xml = await exportedXml();
    expect(xml).toMatch(/<bpmn:sequenceFlow id="Flow_Gateway_hop_le_Task_huong_dan"[^>]*>\s*<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">canBoSung = true and soGiayToThieu &gt; 0<\/bpmn:conditionExpression>/);
  });

  it('adds a document to a step and the cost panel counts it; undo takes it back', async () => {
    const before = await documentsPerDossier();
    expect(before).toBeGreaterThan(0);
    // A step every dossier passes once (after the amendment loop, before any rejection): one document more per dossier.
    await select('Task_xac_nhan');
    const group = panel().locator('[data-group-id="group-qt-documents"]');
    await group.getByTitle('Thêm một mục').click();
    const name = group.getByLabel('Tên giấy tờ').last();
    await name.fill('');
    await expect.poll(() => group.locator('.bio-properties-panel-error').first().textContent()).toBe('Giấy tờ phải có tên');
    await name.fill('Bản sao Căn cước');
    // The item is headed by the name once it is written, and the field is valid again.
    await expect.poll(() => group.locator('.bio-properties-panel-collapsible-entry-header-title').last().textContent()).toBe('Bản sao Căn cước');
    await expect.poll(() => group.locator('.bio-properties-panel-error').count()).toBe(0);
    await expect.poll(documentsPerDossier).toBeCloseTo(before + 1, 5);
    await page().screenshot({ path: path.join(screenshots, 'designer-properties-vi.png') });
    const xml = await exportedXml();
    expect(xml).toMatch(/<bpmn:userTask id="Task_xac_nhan"[^>]*>\s*<bpmn:extensionElements>\s*<qt:document name="Bản sao Căn cước" paper="true" \/>/);

    await page().keyboard.press('Escape');
    await shape('Task_xac_nhan').click();
    await page().keyboard.press('Control+Z'); // the rename
    await page().keyboard.press('Control+Z'); // the document
    await expect.poll(documentsPerDossier).toBeCloseTo(before, 5);
    await expect.poll(() => panel().locator('[data-group-id="group-qt-documents"] .bio-properties-panel-list-item').count()).toBe(0);
  });

  it('checks a timer’s ISO 8601 duration as typed and writes it on the timer', async () => {
    await select('Event_het_niem_yet');
    const timer = panel().getByLabel('Hẹn giờ (ISO 8601)');
    expect(await timer.inputValue()).toBe('P15D');
    await timer.fill('15 ngày');
    await expect.poll(() => errorOf('qt-timer-value').textContent()).toBe('Không đọc được theo ISO 8601; ví dụ PT8H, P2D, P1M');
    await timer.fill('P20D');
    await expect.poll(() => errorOf('qt-timer-value').count()).toBe(0);
    expect(await exportedXml()).toContain('<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P20D</bpmn:timeDuration>');
    // A cycle instead: the text moves with the kind and is checked as a cycle.
    await panel().getByLabel('Loại hẹn giờ').selectOption({ label: 'Chu kỳ' });
    await expect.poll(() => errorOf('qt-timer-value').textContent()).toBe('Không đọc được theo ISO 8601; ví dụ R3/PT24H');
    await timer.fill('R3/PT24H');
    await expect.poll(() => errorOf('qt-timer-value').count()).toBe(0);
    const xml = await exportedXml();
    expect(xml).toContain('<bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R3/PT24H</bpmn:timeCycle>');
    expect(xml).not.toContain('<bpmn:timeDuration');
  });

  it("shows and edits the dossier's attributes: the applicant's lane, a step's form and the receipt check (docs/dossiers.md)", async () => {
    await select('Task_tiep_nhan');
    expect(await panel().getByLabel('Bước của hồ sơ').inputValue()).toBe('receipt');
    await select('Task_xac_nhan');
    const form = panel().getByLabel('Biểu mẫu (ký hiệu)');
    expect(await form.inputValue()).toBe('xac-nhan-hien-trang');
    await form.fill('ket-qua-xac-nhan');
    // A lane lies behind its tasks: clicked on its header, the strip with its name.
    const lane = await shape('Lane_nguoi_su_dung_dat').boundingBox();
    if (!lane) throw new Error('the lane has no box');
    await page().mouse.click(lane.x + 12, lane.y + lane.height / 2);
    const applicant = panel().getByLabel('Làn của người nộp hồ sơ');
    expect(await applicant.inputValue()).toBe('true');
    await applicant.selectOption({ label: 'Không' });
    const xml = await exportedXml();
    expect(xml).toMatch(/<bpmn:userTask id="Task_xac_nhan"[^>]* qt:form="ket-qua-xac-nhan"/);
    expect(xml).toMatch(/<bpmn:lane id="Lane_nguoi_su_dung_dat"[^>]* qt:applicant="false"/);
  });

  it('makes a step multi-instance from the replace menu and sets its FEEL collection and element variable', async () => {
    await select('Task_xac_nhan');
    await page().locator('.djs-context-pad [data-action="replace"]').click();
    await page().locator('.djs-popup [data-id="toggle-parallel-mi"]').click();
    const collection = panel().getByLabel('Danh sách (qt:collection, FEEL)');
    await collection.fill('[coQuan');
    await expect.poll(() => errorOf('qt-collection').textContent()).toMatch(/^Biểu thức FEEL chưa đúng cú pháp/);
    await collection.fill('coQuanLayYKien');
    await panel().getByLabel('Biến phần tử (qt:elementVariable)').fill('coQuan');
    await expect.poll(() => errorOf('qt-collection').count()).toBe(0);
    const xml = await exportedXml();
    expect(xml).toMatch(/<bpmn:multiInstanceLoopCharacteristics [^>]*qt:collection="coQuanLayYKien" qt:elementVariable="coQuan"/);
  });

  it('turns the timer into a message event: names a new message and its correlation key', async () => {
    await select('Event_het_niem_yet');
    await page().locator('.djs-context-pad [data-action="replace"]').click();
    await page().locator('.djs-popup [data-id="replace-with-message-intermediate-catch"]').click();
    await panel().locator('[data-group-id="group-message"] .bio-properties-panel-group-header').click();
    await panel().locator('[data-entry-id="messageRef"] select').selectOption('create-new');
    await panel().locator('[data-entry-id="messageName"] input').fill('ketQuaNiemYet');
    await panel().getByLabel('Khóa tương quan (qt:correlationKey)').fill('maHoSo');
    await expect.poll(() => entry('qt-correlationKey').locator('.bio-properties-panel-description').textContent()).toContain('thông điệp');
    const xml = await exportedXml();
    const messageId = /<bpmn:message id="([^"]+)" name="ketQuaNiemYet" \/>/.exec(xml)?.[1];
    expect(messageId).toBeDefined();
    expect(xml).toMatch(new RegExp(`<bpmn:messageEventDefinition [^>]*messageRef="${messageId}" qt:correlationKey="maHoSo"|<bpmn:messageEventDefinition [^>]*qt:correlationKey="maHoSo"[^>]*messageRef="${messageId}"`));
    // bpmn-js 18's own context pad opens the replace menu through diagram-js's deprecated ContextPad#getPad, which warns.
    expect(designer.pageErrors.filter((error) => !error.startsWith('warning: Error: ContextPad#getPad is deprecated'))).toEqual([]);
  });
});
