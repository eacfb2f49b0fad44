import { calibrateModel } from '../../engine/calibration/calibrate.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import { calibrateInput, calibrateProcedure, type CalibrationOutcome } from '../calibration/calibrate.ts';
import { withDatabase } from './identity-commands.ts';

export interface CalibrateOptions {
  from?: string | undefined;
  to?: string | undefined;
  version?: number | undefined;
  model?: string | undefined;
  json?: boolean | undefined;
}

/**
 * `quytrinh calibrate <procedure> [--from --to]` (issue 14, docs/calibration.md): the same
 * calibration as the API's, measured in this process, stored as a new model version; prints the
 * figures with their sample sizes, or JSON.
 */
export async function calibrateCommand(key: string, options: CalibrateOptions): Promise<string> {
  const parsed = calibrateInput.safeParse({ from: options.from, to: options.to, version: options.version, modelId: options.model });
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({ field: `--${String(issue.path[0] === 'modelId' ? 'model' : issue.path[0])}`, message: issue.message, messages: { vi: issue.message, en: issue.message } }));
    throw new QuyTrinhError('invalid-input', 'calibration.invalid-options', { vi: 'Tuỳ chọn hiệu chỉnh không hợp lệ', en: 'Invalid calibration options' }, details);
  }
  const outcome = await withDatabase((db) => calibrateProcedure(db, key, parsed.data, 'cli', calibrateModel));
  return options.json ? JSON.stringify(outcome, null, 2) : summary(outcome);
}

const hours = (value: number | undefined) => (value === undefined ? '—' : value.toLocaleString('vi-VN', { maximumFractionDigits: 2 }));
const share = (value: number) => `${(value * 100).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} %`;
const vnd = (value: number) => `${Math.round(value).toLocaleString('vi-VN')} đ`;

function summary(outcome: CalibrationOutcome): string {
  const lines = [
    `Hiệu chỉnh / Calibrated: ${outcome.procedure.name ?? outcome.procedure.key} (${outcome.procedure.key} v${outcome.procedure.version})`,
    `Kỳ / Period: ${outcome.period.from} → ${outcome.period.to}; ${outcome.dossiers} hồ sơ / dossiers measured, ${outcome.excluded} không theo mô hình / not following the model (calibration ${outcome.id})`,
    `Đã lưu / Saved as model ${outcome.model.id} v${outcome.model.version}`,
    '',
    'Bước / Step — giờ làm việc của cán bộ / official hours, chờ / waiting, thời gian / elapsed (giờ làm việc / working hours), n',
    ...outcome.steps.map((step) => `  ${step.name ?? step.elementId}: ${hours(step.meanWorkingHours)}, ${hours(step.meanWaitingHours)}, ${hours(step.meanElapsedHours)}, n = ${step.sampleSize}`),
    '',
    'Nhánh / Branch — tỷ lệ / share (mô hình / model), n',
    ...outcome.branches.flatMap((branch) => branch.flows.map((flow) => `  ${branch.name ?? branch.gatewayId} → ${flow.name ?? flow.flowId}: ${share(flow.probability)} (${flow.modelProbability === undefined ? '—' : share(flow.modelProbability)}), n = ${branch.decisions}`)),
    ...outcome.loops.map((loop) => `Vòng bổ sung / Amendment loop ${loop.flowId}: ${share(loop.rate)} (${loop.taken}/${loop.decisions}), ${loop.dossiers} hồ sơ / dossiers`),
  ];
  if ('predicted' in outcome.comparison) {
    const { predicted, asExecuted } = outcome.comparison;
    lines.push('', `Chi phí mỗi hồ sơ / Cost per dossier: dự kiến / predicted ${vnd(predicted.totalVnd)}, thực tế / as executed ${vnd(asExecuted.totalVnd)}`);
    lines.push(`Thời gian giải quyết / Lead time: dự kiến / predicted ${hours(predicted.leadTimeWorkingHours)}, thực tế / as executed ${hours(asExecuted.leadTimeWorkingHours)} giờ làm việc / working hours`);
  }
  return lines.join('\n');
}
