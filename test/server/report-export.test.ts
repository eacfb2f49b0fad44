import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../engine/catalogue/index.ts';
import { analyseRestructuringXml } from '../../engine/cost/restructuring.ts';
import { restructuringPdf } from '../../server/reports/restructuring-pdf.ts';
import { restructuringWorkbook } from '../../server/reports/restructuring-workbook.ts';
import { useApiOverTestDatabase } from '../support/api-server.ts';
import { pdfText, smallRestructuring, vnd } from '../support/restructuring.ts';

const fixture = useApiOverTestDatabase();
const catalogue = path.join(import.meta.dirname, '../../processes/dang-ky-khai-sinh');
const models = { asIs: await readFile(path.join(catalogue, 'as-is.bpmn'), 'utf8'), toBe: await readFile(path.join(catalogue, 'to-be.bpmn'), 'utf8') };

// Named, so the report has a procedure to name.
const small = smallRestructuring('name="Cấp phép thử (mẫu)"');

async function post(path: string, body: unknown) {
  return fixture.api.fetch(`${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function workbookOf(response: Response): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await response.arrayBuffer());
  return workbook;
}

/** The first row of a sheet whose first cell reads `label`. */
function rowOf(sheet: ExcelJS.Worksheet, label: string): ExcelJS.Row {
  let found: ExcelJS.Row | undefined;
  sheet.eachRow((row) => {
    if (!found && row.getCell(1).text.trim() === label) found = row;
  });
  if (!found) throw new Error(`no row "${label}" in ${sheet.name}`);
  return found;
}

describe('the restructuring report as files (Circular 01 Art. 18)', () => {
  it('exports the comparison as an .xlsx workbook whose cells hold the figures as numbers', async () => {
    const analysis = await (await post('/api/analysis/cost', models)).json();
    const response = await post('/api/analysis/cost/report?format=xlsx', models);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="bao-cao-tai-cau-truc-1\.001193\.xlsx"; filename\*=UTF-8''/);
    const workbook = await workbookOf(response);
    const sheet = workbook.getWorksheet('Báo cáo')!;
    const total = rowOf(sheet, 'Tổng chi phí tuân thủ');
    expect(total.getCell(2).value).toBeCloseTo(analysis.asIs.perDossier.totalVnd, 6);
    expect(total.getCell(3).value).toBeCloseTo(analysis.toBe.perDossier.totalVnd, 6);
    expect(rowOf(sheet, 'Tỷ lệ cắt giảm chi phí (Điều 18 Thông tư 01/2023/TT-VPCP)').getCell(2).value).toBeCloseTo(analysis.savings.ratePercent, 6);
    expect(workbook.getWorksheet('Thay đổi')!.rowCount).toBe(analysis.changes.length + 1);
  });

  it('lays the workbook out as a filed report: the figures as numbers in VND and hour formats, bold totals, a frozen header', async () => {
    const response = await post('/api/analysis/cost/report?format=xlsx', small);
    expect(response.status).toBe(200);
    // No procedure code: the name, with its parentheses percent-encoded (RFC 5987 attr-chars).
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="bao-cao-tai-cau-truc-cap-phep-thu-mau.xlsx"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20t%C3%A1i%20c%E1%BA%A5u%20tr%C3%BAc%20C%E1%BA%A5p%20ph%C3%A9p%20th%E1%BB%AD%20%28m%E1%BA%ABu%29.xlsx`,
    );
    const workbook = await workbookOf(response);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Báo cáo', 'Thay đổi']);
    const sheet = workbook.getWorksheet('Báo cáo')!;
    expect(sheet.getCell('A1').text).toBe('BÁO CÁO TÍNH TOÁN CHI PHÍ TIẾT KIỆM SAU TÁI CẤU TRÚC QUY TRÌNH');
    expect(sheet.getCell('A2').text).toBe('Cấp phép thử (mẫu)');
    expect(sheet.getCell('A3').text).toContain('Thông tư 01/2023/TT-VPCP');

    const total = rowOf(sheet, 'Tổng chi phí tuân thủ');
    expect([2, 3, 4].map((column) => total.getCell(column).value)).toEqual([160_000, 25_000, 135_000]);
    expect(total.getCell(2).numFmt).toBe('#,##0');
    expect(total.getCell(5).value).toBe('VNĐ');
    expect(total.font.bold).toBe(true);
    const hours = rowOf(sheet, 'Thời gian người nộp thực hiện');
    expect([2, 3, 4].map((column) => hours.getCell(column).value)).toEqual([4, 1, 3]);
    expect(hours.getCell(2).numFmt).toBe('#,##0.00');
    expect(hours.getCell(5).value).toBe('giờ');
    expect(hours.font?.bold).toBeFalsy();
    expect(rowOf(sheet, 'Chi phí tiết kiệm mỗi năm').getCell(2).value).toBe(135_000_000);
    expect(rowOf(sheet, 'Chi phí tiết kiệm mỗi hồ sơ').getCell(2).value).toBe(135_000);
    expect(rowOf(sheet, 'Tỷ lệ cắt giảm chi phí (Điều 18 Thông tư 01/2023/TT-VPCP)').getCell(2).value).toBeCloseTo(84.375, 9);
    // Art. 17.1.a counts administrative procedures: these models cut none.
    const procedures = rowOf(sheet, 'a) Cắt giảm thủ tục hành chính không cần thiết');
    expect([2, 3, 4, 5].map((column) => procedures.getCell(column).value)).toEqual([1, 1, 'Chưa đạt', 'thủ tục']);
    expect(rowOf(sheet, 'Bước do người thực hiện (người nộp hồ sơ, cán bộ)').getCell(4).value).toBe(1);
    const trips = rowOf(sheet, 'b) Giảm đi lại, tiếp xúc trực tiếp');
    expect([trips.getCell(2).value, trips.getCell(3).value, trips.getCell(4).value]).toEqual([2, 0, 'Đạt']);
    expect(rowOf(sheet, 'c) Giảm hồ sơ, giấy tờ phải cung cấp').getCell(4).value).toBe('Chưa đạt');

    // One header per table; the first is frozen with everything above it.
    const header = rowOf(sheet, 'Khoản mục');
    expect([1, 2, 3, 4, 5, 6].map((column) => header.getCell(column).text)).toEqual(['Khoản mục', 'Hiện trạng', 'Sau tái cấu trúc', 'Cắt giảm', 'Đơn vị', 'Lý do tăng']);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: header.number });
    let headers = 0;
    sheet.eachRow((row) => (headers += row.getCell(1).text === 'Khoản mục' ? 1 : 0));
    expect(headers).toBe(2);
    expect(sheet.getColumn(1).width).toBeGreaterThan(40);

    const changes = workbook.getWorksheet('Thay đổi')!;
    expect(changes.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const collect = rowOf(changes, 'Cắt bỏ');
    // The report's convention: what a change saves is positive (steps by name, never by id).
    expect(collect.values).toEqual([undefined, 'Cắt bỏ', 'Nhận kết quả', 25_000, 25_000_000, '']);
    expect(collect.getCell(3).numFmt).toBe('#,##0;[Red]-#,##0');
    const submit = rowOf(changes, 'Đơn giản hóa / thay đổi');
    expect(submit.getCell(2).value).toBe('Nộp hồ sơ');
    expect(submit.getCell(3).value).toBe(110_000);
    expect(submit.getCell(5).text).toContain('thời gian của người dân');
    expect(submit.getCell(5).text).not.toContain('qt:');
  });

  it('writes English labels on ?language=en, with the same figures', async () => {
    const xlsx = await post('/api/analysis/cost/report?format=xlsx&language=en', small);
    expect(xlsx.headers.get('content-disposition')).toMatch(/^attachment; filename="restructuring-report-cap-phep-thu-mau\.xlsx"/);
    const sheet = (await workbookOf(xlsx)).getWorksheet('Report')!;
    expect(rowOf(sheet, 'Total compliance cost').getCell(3).value).toBe(25_000);
    expect(rowOf(sheet, 'Cost reduction rate (Circular 01/2023/TT-VPCP Art. 18)').getCell(2).value).toBeCloseTo(84.375, 9);
    const pdf = await post('/api/analysis/cost/report?format=pdf&language=en', small);
    const text = await pdfText(new Uint8Array(await pdf.arrayBuffer()));
    expect(text).toContain('COST SAVINGS OF THE PROCEDURE RESTRUCTURING');
    expect(text).toContain('135,000,000 VND');
    expect(text).toContain('84.38 %');
  });

  it('prints the figures of the small models into the PDF, Vietnamese letters intact, with page numbers', async () => {
    const response = await post('/api/analysis/cost/report?format=pdf', small);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="bao-cao-tai-cau-truc-cap-phep-thu-mau\.pdf"; filename\*=UTF-8''/);
    const text = await pdfText(new Uint8Array(await response.arrayBuffer()));
    for (const expected of ['Cấp phép thử (mẫu)', 'Tổng chi phí tuân thủ', '160.000 đ', '25.000 đ', '135.000 đ', '135.000.000 đ', '84,38 %', 'Nhận kết quả', 'Chưa đạt', 'trang 1/']) {
      expect(text).toContain(expected);
    }
  });

  it('exports it as a PDF whose text is Vietnamese, with the procedure and the totals', async () => {
    const analysis = await (await post('/api/analysis/cost', models)).json();
    const response = await post('/api/analysis/cost/report?format=pdf', models);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const text = await pdfText(bytes);
    expect(text).toContain('BÁO CÁO TÍNH TOÁN CHI PHÍ TIẾT KIỆM');
    expect(text).toContain('Đăng ký khai sinh');
    expect(text).toContain('Tổng chi phí tuân thủ');
    expect(text).toContain(vnd(analysis.asIs.perDossier.totalVnd));
    expect(text).toContain(vnd(analysis.savings.perYearVnd));
  });

  it('names an unknown format, and refuses models it cannot analyse as /api/analysis/cost does', async () => {
    const format = await post('/api/analysis/cost/report?format=docx', models);
    expect(format.status).toBe(400);
    expect(format.headers.get('content-type')).toContain('application/problem+json');
    expect(((await format.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('query.format');
    const missing = await post('/api/analysis/cost/report', models);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('query.format');
    const language = await post('/api/analysis/cost/report?format=pdf&language=fr', models);
    expect(((await language.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('query.language');
    const broken = await post('/api/analysis/cost/report?format=pdf', { ...models, toBe: '<not-bpmn/>' });
    expect(broken.status).toBe(422);
    expect(((await broken.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('toBe');
  });

  it('writes a workbook and a PDF for every procedure of the catalogue', async () => {
    for (const entry of await loadCatalogue(path.join(import.meta.dirname, '../../processes'))) {
      const analysis = await analyseRestructuringXml(entry.models['as-is'], entry.models['to-be']);
      const text = await pdfText(new Uint8Array(await restructuringPdf(analysis)));
      expect(text, entry.folder).toContain(vnd(analysis.savings.perYearVnd));
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Uint8Array.from(await restructuringWorkbook(analysis)).buffer);
      expect(workbook.getWorksheet('Thay đổi')!.rowCount, entry.folder).toBe(analysis.changes.length + 1);
    }
  });
});
