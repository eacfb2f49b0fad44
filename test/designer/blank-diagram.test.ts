import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, showInspectorTab, useDesignerPage } from '../support/designer-page.ts';

// What a new blank diagram (bpmn-js's one unnamed start event) says: each hint once, in
// Vietnamese, in the words of the designer's glossary, without BPMN type names, `qt:` attribute
// names or element ids (issue 16).
describe.runIf(browserAvailable)('a new blank diagram (Chromium)', () => {
  const designer = useDesignerPage();
  const page = () => designer.page;
  const lines = (testId: string) => page().getByTestId(testId).locator('li').allTextContents();

  it('shows its few meaningful hints once, in Vietnamese, without jargon', async () => {
    await page().goto(designer.api.url);
    await page().locator('.djs-palette .entry').first().waitFor();
    await page().getByLabel('Mới từ mẫu').selectOption('blank');
    await showInspectorTab(page(), 'checks');
    await page().locator('.checks-panel[aria-busy="false"] [data-testid="check-counts"]').waitFor();
    await page().getByTestId('cost-problems').locator('li').first().waitFor();

    const checks = await lines('check-list');
    const cost = await lines('cost-problems');
    expect(checks).toEqual([
      'Quy trình chưa có sự kiện kết thúc: hãy nối bước cuối tới một sự kiện kết thúc · Quy trình (chưa đặt tên)',
      'Phần tử chưa có tên · Sự kiện bắt đầu (chưa đặt tên)',
      'Phần tử chưa được nối với bước nào · Sự kiện bắt đầu (chưa đặt tên)',
      'Chưa có làn nào nêu cơ quan, đơn vị thực hiện: hãy vẽ một làn cho mỗi đơn vị (Điều 16.3.b Thông tư 01/2023) · Quy trình (chưa đặt tên)',
    ]);
    expect(cost).toEqual([
      'Quy trình chưa có “Thu nhập bình quân (VNĐ/giờ)”: thu nhập bình quân một giờ của đối tượng (VNĐ), cần để tính chi phí',
      'Quy trình chưa có “Số đối tượng mỗi năm”: số đối tượng thực hiện thủ tục mỗi năm, cần để tính chi phí',
    ]);
    const shown = [...checks, ...cost];
    expect(new Set(shown).size).toBe(shown.length);
    const panels = `${await page().locator('.checks-panel').innerText()}\n${await page().locator('.cost-panel').innerText()}`;
    expect(panels).not.toMatch(/qt:|Process|StartEvent|Start Event|_1\b|bpmn/);
    await page().screenshot({ path: path.join(screenshots, 'blank-diagram-vi.png') });
    expect(designer.pageErrors).toEqual([]);
  });
});
