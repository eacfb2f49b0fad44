import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestructuringAnalysis } from '../../engine/cost/restructuring.ts';
import { runCli } from '../support/product-process.ts';
import { pdfText, vnd } from '../support/restructuring.ts';

const catalogue = path.join(import.meta.dirname, '../../processes/dang-ky-khai-sinh');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'quytrinh-cost-cli-'));
  await copyFile(path.join(catalogue, 'as-is.bpmn'), path.join(dir, 'a.bpmn'));
  await copyFile(path.join(catalogue, 'to-be.bpmn'), path.join(dir, 'b.bpmn'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('quytrinh cost --xlsx --pdf', () => {
  it('writes the workbook and the PDF, says so on stderr, and still prints the report', async () => {
    const xlsx = path.join(dir, 'out.xlsx');
    const pdf = path.join(dir, 'out.pdf');
    const result = await runCli(['cost', path.join(dir, 'a.bpmn'), path.join(dir, 'b.bpmn'), '--xlsx', xlsx, '--pdf', pdf], {});
    expect(result.stderr).toContain(`Đã ghi bảng tính / workbook written: ${xlsx}`);
    expect(result.stderr).toContain(`Đã ghi báo cáo PDF / PDF written: ${pdf}`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('BÁO CÁO TÍNH TOÁN CHI PHÍ TIẾT KIỆM SAU TÁI CẤU TRÚC QUY TRÌNH');
    expect(result.stdout).toContain('Chi phí tiết kiệm:');

    // The same figures as --json: the files are renderings of the one analysis.
    const json = await runCli(['cost', path.join(dir, 'a.bpmn'), path.join(dir, 'b.bpmn'), '--json'], {});
    const analysis = JSON.parse(json.stdout) as RestructuringAnalysis;

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Báo cáo', 'Thay đổi']);
    const sheet = workbook.getWorksheet('Báo cáo')!;
    let total: ExcelJS.Row | undefined;
    sheet.eachRow((row) => {
      if (!total && row.getCell(1).text === 'Tổng chi phí tuân thủ') total = row;
    });
    expect(total!.getCell(2).value).toBeCloseTo(analysis.asIs.perDossier.totalVnd, 6);
    expect(total!.getCell(3).value).toBeCloseTo(analysis.toBe.perDossier.totalVnd, 6);
    expect(workbook.getWorksheet('Thay đổi')!.rowCount).toBe(analysis.changes.length + 1);

    const bytes = new Uint8Array(await readFile(pdf));
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const text = await pdfText(bytes);
    expect(text).toContain('Tổng chi phí tuân thủ');
    expect(text).toContain('Mục tiêu tái cấu trúc');
    expect(text).toContain(vnd(analysis.savings.perYearVnd));
  });

  it('fails in both languages when it cannot write a file, and writes nothing for a model it refuses', async () => {
    const unwritable = await runCli(['cost', path.join(dir, 'a.bpmn'), path.join(dir, 'b.bpmn'), '--pdf', path.join(dir, 'missing-folder', 'out.pdf')], {});
    expect(unwritable.code).toBe(1);
    const target = path.join(dir, 'missing-folder', 'out.pdf');
    expect(unwritable.stderr).toBe(`✖ Không ghi được ${target} (ENOENT)\n  Cannot write ${target} (ENOENT)\n`);

    const xlsx = path.join(dir, 'refused.xlsx');
    const refused = await runCli(['cost', path.join(dir, 'a.bpmn'), path.join(catalogue, 'procedure.json'), '--xlsx', xlsx], {});
    expect(refused.code).toBe(1);
    await expect(readFile(xlsx)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
