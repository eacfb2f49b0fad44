import { readFile, writeFile } from 'node:fs/promises';
import { analyseRestructuringXml, type RestructuringAnalysis } from '../../engine/cost/restructuring.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import { restructuringPdf } from '../reports/restructuring-pdf.ts';
import { formatValue, REPORT_LABELS, restructuringReport, type ReportRow } from '../reports/restructuring-report.ts';
import { restructuringWorkbook } from '../reports/restructuring-workbook.ts';

export interface CostOptions {
  json?: boolean | undefined;
  /** Also write the report as an .xlsx workbook / a PDF to these paths. */
  xlsx?: string | undefined;
  pdf?: string | undefined;
}

/** `quytrinh cost <as-is.bpmn> <to-be.bpmn> [--json] [--xlsx file] [--pdf file]`: the restructuring report, Vietnamese first. */
export async function costCommand(asIsPath: string, toBePath: string, options: CostOptions, say: (line: string) => void): Promise<string> {
  const [asIsXml, toBeXml] = await Promise.all([readFile(asIsPath, 'utf8'), readFile(toBePath, 'utf8')]);
  const analysis = await analyseRestructuringXml(asIsXml, toBeXml);
  if (options.xlsx) {
    await writeReport(options.xlsx, await restructuringWorkbook(analysis));
    say(`Đã ghi bảng tính / workbook written: ${options.xlsx}`);
  }
  if (options.pdf) {
    await writeReport(options.pdf, await restructuringPdf(analysis, { diagrams: { asIs: asIsXml, toBe: toBeXml } }));
    say(`Đã ghi báo cáo PDF / PDF written: ${options.pdf}`);
  }
  return options.json ? JSON.stringify(analysis, null, 2) : costReportText(analysis);
}

async function writeReport(file: string, bytes: Buffer): Promise<void> {
  try {
    await writeFile(file, bytes);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new QuyTrinhError('invalid-input', 'cost.report-not-written', { vi: `Không ghi được ${file} (${reason})`, en: `Cannot write ${file} (${reason})` }, [], { cause: error });
  }
}

const LABEL_WIDTH = 60;
const COLUMN_WIDTH = 20;

export function costReportText(analysis: RestructuringAnalysis): string {
  const report = restructuringReport(analysis);
  const line = (label: string, ...columns: string[]) => `${label.padEnd(LABEL_WIDTH)}${columns.map((column) => column.padStart(COLUMN_WIDTH)).join('')}`;
  const rowLine = (row: ReportRow) => line(`  ${row.label.vi}`, formatValue(row.asIs, row.unit), formatValue(row.toBe, row.unit), formatValue(row.reduction, row.unit));
  const procedure = [report.procedure.name, report.procedure.code && `mã ${report.procedure.code}`].filter(Boolean).join(' — ');
  const lines = [
    report.title.vi.toUpperCase(),
    procedure,
    report.legalBasis.vi,
    '',
    line('', REPORT_LABELS.asIs.vi, REPORT_LABELS.toBe.vi, REPORT_LABELS.reduction.vi),
    ...report.sections.flatMap((section) => [section.title.vi, ...section.rows.map(rowLine)]),
    '',
    `Chi phí tiết kiệm: ${formatValue(report.savings.perYearVnd, 'vnd')}/năm (${formatValue(report.savings.perDossierVnd, 'vnd')}/hồ sơ), tỷ lệ cắt giảm ${formatValue(report.savings.ratePercent, 'percent')}`,
    '',
    `${REPORT_LABELS.aims.vi}:`,
    ...report.aims.map((aim) => `  ${aim.met ? '✔' : '✘'} ${aim.label.vi}: ${formatValue(aim.asIs, 'count')} → ${formatValue(aim.toBe, 'count')}`),
    '',
    `${REPORT_LABELS.changes.vi}:`,
    ...(report.changes.length === 0
      ? ['  (không có thay đổi)']
      : [
          `  ${'Thay đổi'.padEnd(24)}${'Tiết kiệm/hồ sơ'.padStart(16)}   Bước (mã phần tử) [nội dung thay đổi]`,
          ...report.changes.map((change) => `  ${change.label.vi.padEnd(24)}${formatValue(-change.costEffectVnd, 'vnd').padStart(16)}   ${change.name ?? change.elementId} (${change.elementId})${change.differences.length > 0 ? ` [${change.differences.join(', ')}]` : ''}`),
        ]),
  ];
  return lines.join('\n');
}
