import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue, type CatalogueEntry } from '../../engine/catalogue/index.ts';
import { analyseRestructuringXml, type RestructuringAnalysis } from '../../engine/cost/restructuring.ts';
import { callApi, useApiOverTestDatabase } from '../support/api-server.ts';
import { tokenFor } from '../support/identities.ts';

const fixture = useApiOverTestDatabase();
const processes = path.join(import.meta.dirname, '../../processes');

/** Each entry analysed on its own here, as the per-entry analysis route does, for the totals to be checked against. */
let analysed: Array<{ entry: CatalogueEntry; analysis: RestructuringAnalysis; group: boolean }>;
beforeAll(async () => {
  const entries = await loadCatalogue(processes);
  analysed = await Promise.all(
    entries.map(async (entry) => ({
      entry,
      analysis: await analyseRestructuringXml(entry.models['as-is'], entry.models['to-be']),
      // A group's to-be calls other entries' to-be models (processes/README.md).
      group: /<bpmn:callActivity\b[^>]*calledElement=/.test(entry.models['to-be']),
    })),
  );
}, 60_000);

interface SummaryRow {
  id: string;
  inTotals: boolean;
  calls: string[];
  dossiersPerYear: number;
  savingPerYearVnd: number;
  ratePercent: number;
  asIs: { costPerDossierVnd: number; applicantHours: number; trips: number; documents: number };
  toBe: { costPerDossierVnd: number; applicantHours: number; trips: number; documents: number };
  aimsMet: string[];
  onlineService: { level: string };
}

describe('the catalogue summary (issue 16)', () => {
  it('is for analysts: anonymous callers are asked to sign in, citizens refused', async () => {
    for (const route of ['/api/catalogue/summary', '/api/catalogue/summary.xlsx']) {
      expect((await callApi(fixture.api, 'GET', route, undefined, undefined, null)).status).toBe(401);
      const { token } = await tokenFor(fixture.database.db, 'citizen');
      const refused = await callApi(fixture.api, 'GET', route, undefined, undefined, token);
      expect(refused.status).toBe(403);
      expect(refused.type).toContain('application/problem+json');
    }
    const { token } = await tokenFor(fixture.database.db, 'analyst');
    expect((await callApi(fixture.api, 'GET', '/api/catalogue/summary', undefined, undefined, token)).status).toBe(200);
  });

  it('has one row per entry, equal to its own analysis, and totals that add up the single procedures', async () => {
    const { status, body } = await callApi(fixture.api, 'GET', '/api/catalogue/summary?limit=100');
    expect(status).toBe(200);
    const rows = body.items as SummaryRow[];
    expect(rows).toHaveLength(analysed.length);
    expect(body).toMatchObject({ total: analysed.length, next: null });
    for (const { entry, analysis, group } of analysed) {
      const row = rows.find((candidate) => candidate.id === entry.folder)!;
      expect(row.inTotals).toBe(!group);
      expect(row.calls.length > 0).toBe(group);
      expect(row.savingPerYearVnd).toBeCloseTo(analysis.savings.perYearVnd, 3);
      expect(row.ratePercent).toBeCloseTo(analysis.savings.ratePercent, 9);
      expect(row.dossiersPerYear).toBe(analysis.asIs.perYear.dossiers);
      expect(row.asIs.costPerDossierVnd).toBeCloseTo(analysis.asIs.perDossier.totalVnd, 6);
      expect(row.toBe.applicantHours).toBeCloseTo(analysis.toBe.perDossier.applicantHours, 9);
      expect(row.toBe.trips).toBeCloseTo(analysis.toBe.perDossier.trips, 9);
      expect(row.aimsMet).toEqual(analysis.aims.filter((aim) => aim.met).map((aim) => aim.aim));
    }
    const birthGroup = rows.find((row) => row.id === 'lien-thong-khai-sinh-thuong-tru-bhyt')!;
    expect(birthGroup.calls.sort()).toEqual(['cap-the-bhyt-tre-em-duoi-6-tuoi', 'dang-ky-khai-sinh', 'dang-ky-thuong-tru']);

    const singles = analysed.filter(({ group }) => !group).map(({ analysis }) => analysis);
    const sum = (of: (analysis: RestructuringAnalysis) => number) => singles.reduce((total, analysis) => total + of(analysis), 0);
    const saving = sum((analysis) => analysis.savings.perYearVnd);
    const asIsCost = sum((analysis) => analysis.asIs.perYear.totalVnd);
    expect(body.totals.entries).toBe(singles.length);
    expect(body.totals.leftOut.sort()).toEqual(analysed.filter(({ group }) => group).map(({ entry }) => entry.folder).sort());
    expect(body.totals.savingPerYearVnd).toBeCloseTo(saving, 0);
    expect(body.totals.ratePercent).toBeCloseTo((saving / asIsCost) * 100, 9);
    expect(body.totals.applicantHoursSavedPerYear).toBeCloseTo(sum((analysis) => analysis.savings.applicantHoursPerYear), 3);
    expect(body.totals.tripsSavedPerYear).toBeCloseTo(sum((analysis) => analysis.savings.trips * analysis.asIs.perYear.dossiers), 3);
  });

  it('pages its rows like the other lists, the totals always the whole catalogue\'s', async () => {
    const first = await callApi(fixture.api, 'GET', '/api/catalogue/summary?limit=5');
    expect(first.body.items).toHaveLength(5);
    const second = await callApi(fixture.api, 'GET', `/api/catalogue/summary?limit=5&cursor=${first.body.next}`);
    expect(second.body.items[0].id > first.body.items[4].id).toBe(true);
    expect(second.body.totals).toEqual(first.body.totals);
    const bad = await callApi(fixture.api, 'GET', '/api/catalogue/summary?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query.limit');
    expect((await callApi(fixture.api, 'GET', '/api/catalogue/summary.xlsx?language=fr')).body.errors[0].field).toBe('query.language');
  });

  it('downloads as a workbook: Vietnamese headers, a row per entry as numbers, the totals row and the sources', async () => {
    const response = await fixture.api.fetch('/api/catalogue/summary.xlsx');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain("filename*=UTF-8''T%E1%BB%95ng%20h%E1%BB%A3p%20danh%20m%E1%BB%A5c.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.getWorksheet('Tổng hợp')!;
    const rows: ExcelJS.Row[] = [];
    sheet.eachRow((row) => rows.push(row));
    const header = rows.find((row) => row.getCell(1).value === 'STT')!;
    const headers = (header.values as unknown[]).slice(1);
    expect(headers).toEqual(expect.arrayContaining(['Thủ tục', 'Tiết kiệm/năm (đ)', 'Tỷ lệ cắt giảm (%)', 'Mức độ DVC trực tuyến (Điều 13)']));
    const column = (label: string) => headers.indexOf(label) + 1;
    const body = rows.filter((row) => row.number > header.number);
    expect(body).toHaveLength(analysed.length + 1);
    const birth = analysed.find(({ entry }) => entry.folder === 'dang-ky-khai-sinh')!;
    const birthRow = body.find((row) => row.getCell(column('Thủ tục')).text.startsWith(birth.entry.procedure.name.vi))!;
    const savingCell = birthRow.getCell(column('Tiết kiệm/năm (đ)'));
    expect(typeof savingCell.value).toBe('number');
    expect(savingCell.value as number).toBeCloseTo(birth.analysis.savings.perYearVnd, 3);
    expect(savingCell.numFmt).toBe('#,##0;[Red]-#,##0');
    const totals = body.at(-1)!;
    expect(totals.getCell(column('Thủ tục')).text).toMatch(/^Tổng cộng \(19 thủ tục\)/);
    const { body: summary } = await callApi(fixture.api, 'GET', '/api/catalogue/summary?limit=100');
    expect(totals.getCell(column('Tiết kiệm/năm (đ)')).value as number).toBeCloseTo(summary.totals.savingPerYearVnd, 0);
    expect(sheet.getCell('A2').text).toContain('ước tính');
    const sources = workbook.getWorksheet('Nguồn số liệu')!;
    expect(sources.rowCount - 1).toBe(analysed.reduce((total, { entry }) => total + entry.procedure.figures.length, 0));

    const english = await fixture.api.fetch('/api/catalogue/summary.xlsx?language=en');
    const englishBook = new ExcelJS.Workbook();
    await englishBook.xlsx.load(await english.arrayBuffer());
    expect(englishBook.getWorksheet('Summary')).toBeDefined();
  });
});
