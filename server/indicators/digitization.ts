import { anyRow, type IndicatorGroup } from './indicator.ts';

/**
 * Decision 766 group 5, digitized dossiers and results (số hóa hồ sơ, kết quả). A component is
 * digitized when its scan was stamped, signed and its metadata confirmed and coded (Circular 01
 * Art. 7–10, `digitizations.status = 'confirmed'`); a result is electronic when the signed PDF
 * issued with it is stored (Decree 45 Art. 14.3, 25; `result_documents`).
 */
export const digitization: IndicatorGroup = {
  id: 'digitization',
  name: { vi: 'Số hóa hồ sơ, kết quả', en: 'Digitized dossiers and results' },
  facts: {
    digitized: anyRow(`from digitizations g where g.dossier_id = d.id and g.status = 'confirmed'`),
    results: '(select count(*) from dossier_results x where x.dossier_id = d.id)',
    signed_results: '(select count(*) from dossier_results x where x.dossier_id = d.id and exists (select 1 from result_documents rd where rd.result_id = x.id))',
  },
  indicators: [
    {
      id: 'digitization.dossiers-digitized',
      name: { vi: 'Hồ sơ có thành phần được số hóa', en: 'Dossiers with a digitized component' },
      unit: 'percent',
      numerator: {
        text: { vi: 'Số hồ sơ có ít nhất một thành phần số hóa đã xác nhận', en: 'Dossiers with at least one confirmed digitization' },
        sql: 'count(*) filter (where f.digitized)',
      },
      denominator: { text: { vi: 'Số hồ sơ tiếp nhận trong kỳ', en: 'Dossiers received in the period' }, sql: 'count(*)' },
      source: 'digitizations (status confirmed), dossiers',
      legal: 'Circular 01 Art. 7–10; Decree 45 Art. 25',
    },
    {
      id: 'digitization.results-digitized',
      name: { vi: 'Kết quả giải quyết được số hóa (ký số)', en: 'Results issued electronically (signed)' },
      unit: 'percent',
      numerator: {
        text: { vi: 'Số kết quả có bản điện tử ký số', en: 'Results with a signed electronic document' },
        sql: 'coalesce(sum(f.signed_results), 0)',
      },
      denominator: { text: { vi: 'Số kết quả đã cấp', en: 'Results issued' }, sql: 'coalesce(sum(f.results), 0)' },
      source: 'dossier_results, result_documents',
      legal: 'Decree 45 Art. 14.3, 25; Circular 01 Art. 6',
    },
  ],
};
