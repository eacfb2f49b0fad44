/** The dashboard's calls (docs/indicators.md), through the one API client. */
import { apiFetch, apiJson } from '../api-client.ts';
import type { Language } from '../i18n.ts';

type Bilingual = Record<Language, string>;
export interface Figure {
  numerator: number;
  denominator: number;
  value: number | null;
}
export interface IndicatorInfo {
  id: string;
  name: Bilingual;
  unit: 'percent' | 'score';
  numerator: Bilingual;
  denominator: Bilingual;
  source: string;
  legal: string;
}
export interface Figures {
  received: number;
  figures: Record<string, Figure>;
}
export interface IndicatorReport {
  period: { from: string; to: string };
  at: string;
  groups: Array<{ id: string; name: Bilingual; indicators: IndicatorInfo[] }>;
  rows: Array<Figures & { agency: { code: string; name: string }; procedure: { key: string; name: string } }>;
  total: Figures;
}
export interface IndicatorFilter {
  from?: string | undefined;
  to?: string | undefined;
  agency?: string | undefined;
  procedure?: string | undefined;
}

const queryOf = (values: Record<string, string | number | undefined>) =>
  new URLSearchParams(Object.entries(values).filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '').map(([key, value]) => [key, String(value)])).toString();

export const indicatorsApi = {
  report: (filter: IndicatorFilter, language: Language) => apiJson<IndicatorReport>(`/api/indicators?${queryOf({ ...filter })}`, { language }),
  agencies: (language: Language) => apiJson<{ items: Array<{ code: string; name: string }> }>('/api/agencies', { language }),
  procedures: (language: Language) => apiJson<{ items: Array<{ key: string; name: string }> }>('/api/portal/procedures?limit=500', { language }),
  workbook: async (filter: IndicatorFilter, language: Language) => (await apiFetch(`/api/indicators.xlsx?${queryOf({ ...filter, language })}`, { language })).blob(),
  halfYearly: async (year: number, half: 1 | 2, agency: string | undefined, language: Language) => (await apiFetch(`/api/indicators/half-yearly.xlsx?${queryOf({ year, half, agency, language })}`, { language })).blob(),
};
