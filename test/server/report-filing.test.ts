import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readDiagramLayout } from '../../server/reports/diagram-figure.ts';
import { useApiOverTestDatabase } from '../support/api-server.ts';
import { pdfColouredText, pdfText } from '../support/restructuring.ts';

/**
 * Issue 16: the report an agency files. The birth registration's restructuring saves money but
 * lengthens the lead time (5 → 12,17 working hours: the original certificate now goes by post),
 * so it shows both conventions at once.
 */
const fixture = useApiOverTestDatabase();
const folder = path.join(import.meta.dirname, '../../processes/dang-ky-khai-sinh');
const models = { asIs: await readFile(path.join(folder, 'as-is.bpmn'), 'utf8'), toBe: await readFile(path.join(folder, 'to-be.bpmn'), 'utf8') };
const filing = { parentAgency: 'UBND tỉnh Bắc Ninh', agency: 'Văn phòng UBND tỉnh', number: '15/BC-VP', place: 'Bắc Ninh', date: '2026-12-06', signerTitle: 'Chánh Văn phòng', signerName: 'Nguyễn Văn An' };
const RED = '#b00020';
const GREEN = '#1e7b34';

async function report(format: 'pdf' | 'xlsx', body: object = { ...models, filing }): Promise<Response> {
  return fixture.api.fetch(`/api/analysis/cost/report?format=${format}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Every element id of both models: none may reach the filed PDF. */
function elementIds(): string[] {
  const ids = new Set<string>();
  for (const xml of [models.asIs, models.toBe]) for (const match of xml.matchAll(/\bid="([^"]+)"/g)) ids.add(match[1]!);
  return [...ids];
}

describe('the filed restructuring report (issue 16)', () => {
  it('prints the national header, the particulars, the signature block and both diagrams, with no attribute names or element ids', async () => {
    const response = await report('pdf');
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const text = (await pdfText(bytes)).replace(/\s+/g, ' ');
    for (const expected of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'UBND TỈNH BẮC NINH',
      'VĂN PHÒNG UBND TỈNH',
      'Số: 15/BC-VP',
      'Bắc Ninh, ngày 06 tháng 12 năm 2026',
      'CHÁNH VĂN PHÒNG',
      '(Ký, ghi rõ họ tên, đóng dấu)',
      'Nguyễn Văn An',
      'Hình 1. Sơ đồ quy trình hiện trạng',
      'Hình 2. Quy trình điện tử sau tái cấu trúc',
      // Names the diagrams carry, drawn into the figures.
      'Viết tờ khai',
      'Gửi bản chính Giấy khai sinh',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('qt:');
    for (const id of elementIds()) expect(text, id).not.toMatch(new RegExp(`\\b${id}\\b`));
  });

  it('leaves dotted blanks to fill in by hand when no particulars are given', async () => {
    const text = (await pdfText(new Uint8Array(await (await report('pdf', models)).arrayBuffer()))).replace(/\s+/g, ' ');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Số: ……/BC-……');
    expect(text).toContain('……, ngày …… tháng …… năm ……');
  });

  it('prints a lead time that grows as worse, in red with its reason, and the savings in green', async () => {
    const bytes = new Uint8Array(await (await report('pdf')).arrayBuffer());
    const runs = await pdfColouredText(bytes);
    const lead = runs.filter((run) => run.text.includes('7,17 giờ'));
    expect(lead.map((run) => [run.text, run.colour])).toEqual([['−7,17 giờ (tăng)', RED]]);
    expect(runs.some((run) => run.colour === GREEN && run.text.includes('7,17'))).toBe(false);
    const reason = runs.filter((run) => run.colour === RED).map((run) => run.text).join(' ').replace(/\s+/g, ' ');
    expect(reason).toContain('Thời gian giải quyết tăng do:');
    expect(reason).toContain('Gửi bản chính Giấy khai sinh');
    expect(runs.find((run) => run.text === '132.567 đ')?.colour).toBe(GREEN);
  });

  it('writes the same convention into the workbook: the increase negative and red, its reason beside it', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await (await report('xlsx')).arrayBuffer());
    const sheet = workbook.getWorksheet('Báo cáo')!;
    let lead: ExcelJS.Row | undefined;
    let total: ExcelJS.Row | undefined;
    sheet.eachRow((row) => {
      if (row.getCell(1).text === 'Thời gian giải quyết (giờ làm việc)') lead = row;
      if (!total && row.getCell(1).text === 'Tổng chi phí tuân thủ') total = row;
    });
    expect(lead!.getCell(4).value).toBeCloseTo(-7.1713, 3);
    expect(lead!.getCell(4).font?.color?.argb).toBe('FFB00020');
    expect(lead!.getCell(4).numFmt).toBe('#,##0.00;[Red]-#,##0.00');
    expect(lead!.getCell(6).text).toContain('Thời gian giải quyết tăng do: Gửi bản chính Giấy khai sinh');
    expect(total!.getCell(4).value).toBeGreaterThan(0);
    expect(total!.getCell(4).font?.color?.argb).toBe('FF1E7B34');
    expect(total!.getCell(6).text).toBe('');
  });

  it('refuses particulars that are not text or a date, naming the field, and changes nothing', async () => {
    const badDate = await report('pdf', { ...models, filing: { ...filing, date: '06/12/2026' } });
    expect(badDate.status).toBe(400);
    expect(((await badDate.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('body.filing.date');
    const unknown = await report('pdf', { ...models, filing: { seal: true } });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).toMatch(/^body\.filing/);
  });

  it('reads the layout the designer saved: every shape of the as-is with its bounds', async () => {
    const layout = (await readDiagramLayout(models.asIs))!;
    expect(layout.shapes.find((shape) => shape.elementId === 'Task_nop')).toMatchObject({ type: expect.stringMatching(/Task$/), name: 'Đến UBND xã nộp hồ sơ, xuất trình giấy tờ' });
    expect(layout.edges.length).toBeGreaterThan(10);
    expect(layout.bounds.width).toBeGreaterThan(500);
  });
});
