import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../engine/catalogue/index.ts';
import { analyseRestructuringXml } from '../../engine/cost/restructuring.ts';
import { restructuringPdf } from '../../server/reports/restructuring-pdf.ts';
import { restructuringWorkbook } from '../../server/reports/restructuring-workbook.ts';
import { useApiOverTestDatabase } from '../support/api-server.ts';
import { runCli } from '../support/product-process.ts';

const fixture = useApiOverTestDatabase();
const catalogue = path.join(import.meta.dirname, '../../processes/dang-ky-khai-sinh');
const models = { asIs: await readFile(path.join(catalogue, 'as-is.bpmn'), 'utf8'), toBe: await readFile(path.join(catalogue, 'to-be.bpmn'), 'utf8') };

async function post(path: string, body: unknown) {
  return fetch(`${fixture.api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  const document = await getDocument({ data: bytes }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  return pages.join('\n');
}

const vnd = (value: number) => `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 }).format(value)} đ`;

describe('the restructuring report as files (Circular 01 Art. 18)', () => {
  it('exports the comparison as an .xlsx workbook whose cells hold the figures as numbers', async () => {
    const analysis = await (await post('/api/analysis/cost', models)).json();
    const response = await post('/api/analysis/cost/report?format=xlsx', models);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="bao-cao-tai-cau-truc-1\.001193\.xlsx"; filename\*=UTF-8''/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.getWorksheet('Báo cáo')!;
    const rowOf = (label: string) => {
      let found: ExcelJS.Row | undefined;
      sheet.eachRow((row) => {
        if (!found && row.getCell(1).text.trim() === label) found = row;
      });
      return found!;
    };
    const total = rowOf('Tổng chi phí tuân thủ');
    expect(total.getCell(2).value).toBeCloseTo(analysis.asIs.perDossier.totalVnd, 6);
    expect(total.getCell(3).value).toBeCloseTo(analysis.toBe.perDossier.totalVnd, 6);
    expect(rowOf('Tỷ lệ cắt giảm chi phí (Điều 18 Thông tư 01/2023/TT-VPCP)').getCell(2).value).toBeCloseTo(analysis.savings.ratePercent, 6);
    expect(workbook.getWorksheet('Thay đổi')!.rowCount).toBe(analysis.changes.length + 1);
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
    expect(((await format.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('query.format');
    const broken = await post('/api/analysis/cost/report?format=pdf', { ...models, toBe: '<not-bpmn/>' });
    expect(broken.status).toBe(422);
    expect(((await broken.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('toBe');
  });

  it('writes both files from the command line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'quytrinh-report-'));
    const xlsx = path.join(dir, 'bao-cao.xlsx');
    const pdf = path.join(dir, 'bao-cao.pdf');
    const result = await runCli(['cost', path.join(catalogue, 'as-is.bpmn'), path.join(catalogue, 'to-be.bpmn'), '--xlsx', xlsx, '--pdf', pdf], {});
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Đã ghi bảng tính / workbook written: ${xlsx}`);
    expect(result.stdout).toContain('Chi phí tiết kiệm:');
    expect(await pdfText(new Uint8Array(await readFile(pdf)))).toContain('Mục tiêu tái cấu trúc');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Báo cáo', 'Thay đổi']);
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
