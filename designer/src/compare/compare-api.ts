/** The server's comparison of two models: the savings (Art. 18), the online level (Art. 13) and the report files. */
import type { RestructuringAnalysis } from '../../../engine/cost/restructuring.ts';
import type { OnlineServiceClassification } from '../../../engine/rules/online-service-level.ts';
import type { FilingDetails } from '../../../server/reports/restructuring-report.ts';
import type { CalibrationOutcome } from '../../../server/calibration/calibrate.ts';
import { apiFetch, apiJson } from '../api-client.ts';
import type { Language } from '../i18n.ts';

export type { ElementChange, RestructuringAnalysis } from '../../../engine/cost/restructuring.ts';
export type { OnlineServiceClassification } from '../../../engine/rules/online-service-level.ts';
export type { CalibrationOutcome } from '../../../server/calibration/calibrate.ts';

export interface ReportFile {
  name: string;
  type: string;
  bytes: ArrayBuffer;
}

/** The name the server gives in Content-Disposition: the UTF-8 `filename*` when there is one. */
export function reportFileName(disposition: string | null, fallback: string): string {
  const encoded = disposition?.match(/filename\*=UTF-8''([^;]+)/i)?.[1];
  if (encoded) return decodeURIComponent(encoded);
  return disposition?.match(/filename="([^"]+)"/i)?.[1] ?? fallback;
}

export const compareApi = {
  cost: (asIs: string, toBe: string, language: Language) => apiJson<RestructuringAnalysis>('/api/analysis/cost', { language, json: { asIs, toBe } }),
  /** Calibrates the deployed procedure from its history (all of it) and stores the calibrated copy (docs/calibration.md). */
  calibrate: (key: string, language: Language) => apiJson<CalibrationOutcome>(`/api/procedures/${encodeURIComponent(key)}/calibrate`, { language, json: {} }),
  classify: (model: string, language: Language) => apiJson<OnlineServiceClassification>('/api/analysis/classify', { language, json: { model } }),
  report: async (asIs: string, toBe: string, format: 'xlsx' | 'pdf', language: Language, filing?: FilingDetails): Promise<ReportFile> => {
    const response = await apiFetch(`/api/analysis/cost/report?format=${format}&language=${language}`, { language, json: { asIs, toBe, ...(filing ? { filing } : {}) } });
    return {
      name: reportFileName(response.headers.get('Content-Disposition'), `report.${format}`),
      type: response.headers.get('Content-Type') ?? 'application/octet-stream',
      bytes: await response.arrayBuffer(),
    };
  },
};
