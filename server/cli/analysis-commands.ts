import { readFile } from 'node:fs/promises';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { analyseSensitivity } from '../../engine/cost/sensitivity.ts';
import { simulateProcedure, type Distribution } from '../../engine/cost/simulation.ts';
import { lintModelXml } from '../../engine/rules/lint.ts';
import { classifyOnlineService } from '../../engine/rules/online-service-level.ts';
import { formatValue, type Unit } from '../reports/restructuring-report.ts';

/** `quytrinh simulate <model> --dossiers N --seed S`: the distribution of cost and lead time over N simulated dossiers. */
export async function simulateCommand(modelPath: string, options: { dossiers: number; seed: number; json?: boolean | undefined }, progress: (line: string) => void): Promise<string> {
  const graph = await readProcess(await readFile(modelPath, 'utf8'));
  const result = simulateProcedure(graph, {
    dossiers: options.dossiers,
    seed: options.seed,
    onProgress: (done, total) => progress(`  ${Math.round((done / total) * 100)} % (${done.toLocaleString('vi-VN')}/${total.toLocaleString('vi-VN')} hồ sơ / dossiers)`),
  });
  if (options.json) return JSON.stringify(result, null, 2);
  const row = (label: string, figures: Distribution, unit: Unit, exact?: number) =>
    `${label.padEnd(40)}${[figures.mean, figures.p50, figures.p90].map((value) => formatValue(value, unit).padStart(18)).join('')}${exact === undefined ? '' : formatValue(exact, unit).padStart(18)}`;
  return [
    `MÔ PHỎNG ${result.dossiers.toLocaleString('vi-VN')} HỒ SƠ — ${graph.name ?? graph.id} (hạt giống / seed ${result.seed})`,
    '',
    `${''.padEnd(40)}${['Trung bình', 'Trung vị (p50)', 'p90', 'Chính xác'].map((title) => title.padStart(18)).join('')}`,
    row('Chi phí tuân thủ một hồ sơ', result.totalVnd, 'vnd', result.exact.totalVnd),
    row('Thời gian người nộp thực hiện', result.applicantHours, 'hours', result.exact.applicantHours),
    row('Số lần đến cơ quan', result.trips, 'count', result.exact.trips),
    row('Thời gian giải quyết (giờ làm việc)', result.leadTimeWorkingHours, 'hours', result.exact.leadTimeWorkingHours),
    row('Thời gian giải quyết (ngày lịch)', result.leadTimeCalendarDays, 'count'),
    '',
    'Ngày lịch: hồ sơ nộp rải đều trong giờ hành chính của một năm, tính cả cuối tuần và ngày lễ, Tết.',
  ].join('\n');
}

/** `quytrinh classify <to-be>`: the online-service level by Circular 01 Art. 13. */
export async function classifyCommand(modelPath: string, options: { json?: boolean | undefined }): Promise<string> {
  const classification = classifyOnlineService(await readProcess(await readFile(modelPath, 'utf8')));
  if (options.json) return JSON.stringify(classification, null, 2);
  return [
    `MỨC ĐỘ DỊCH VỤ CÔNG TRỰC TUYẾN (Điều 13 Thông tư 01/2023/TT-VPCP): ${classification.label.vi.toUpperCase()}`,
    '',
    ...classification.criteria.flatMap((criterion) => [
      `  ${criterion.met ? '✔' : '✘'} ${criterion.label.vi}${criterion.applicable ? '' : ' (không áp dụng)'}`,
      ...criterion.breaches.map((breach) => `      - ${breach.reason.vi}`),
    ]),
  ].join('\n');
}

/** `quytrinh sensitivity <as-is> <to-be>`: the tornado table of the yearly savings. */
export async function sensitivityCommand(asIsPath: string, toBePath: string, options: { json?: boolean | undefined; variation: number }): Promise<string> {
  const [asIs, toBe] = await Promise.all([asIsPath, toBePath].map(async (path) => readProcess(await readFile(path, 'utf8'))));
  const result = analyseSensitivity(asIs!, toBe!, { variation: options.variation, limit: 15 });
  if (options.json) return JSON.stringify(result, null, 2);
  const model = { asIs: 'hiện trạng', toBe: 'sau tái cấu trúc', both: 'cả hai' };
  return [
    `ĐỘ NHẠY CỦA CHI PHÍ TIẾT KIỆM (±${Math.round(options.variation * 100)} % từng số liệu; tiết kiệm gốc ${formatValue(result.baseSavingsPerYearVnd, 'vnd')}/năm)`,
    '',
    ...result.rows.map((row) => `  ${`${row.attribute} ${row.elementId} (${model[row.model]})`.padEnd(60)}${formatValue(row.low.savingsPerYearVnd, 'vnd').padStart(22)} …${formatValue(row.high.savingsPerYearVnd, 'vnd').padStart(22)}   biên độ ${formatValue(row.swingVnd, 'vnd')}`),
  ].join('\n');
}

/** `quytrinh lint <model>`: bpmnlint's recommended rules and the procedure rules; true when no error remains. */
export async function lintCommand(modelPath: string, options: { json?: boolean | undefined }): Promise<{ output: string; clean: boolean }> {
  const findings = await lintModelXml(await readFile(modelPath, 'utf8'));
  const clean = findings.every((finding) => finding.severity !== 'error');
  if (options.json) return { output: JSON.stringify(findings, null, 2), clean };
  if (findings.length === 0) return { output: `✔ ${modelPath}: không có lỗi / no problems`, clean };
  return {
    output: [
      `${modelPath}: ${findings.filter((finding) => finding.severity === 'error').length} lỗi / errors, ${findings.filter((finding) => finding.severity === 'warn').length} cảnh báo / warnings`,
      ...findings.map((finding) => `  ${finding.severity === 'error' ? '✘' : '!'} ${finding.elementId.padEnd(32)} ${finding.message.vi}  (${finding.rule})`),
    ].join('\n'),
    clean,
  };
}
