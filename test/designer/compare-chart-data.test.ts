import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseRestructuringXml } from '../../engine/cost/restructuring.ts';
import { projectRoot } from '../../server/paths.ts';
import { burdenByMeasure, costByItem, leadTime } from '../../designer/src/compare/chart-data.ts';

describe('the compare view: figures as chart rows', () => {
  it('splits the birth registration’s cost per dossier into its three items, before and after, in either language', async () => {
    const model = (stage: string) => readFile(path.join(projectRoot, `processes/dang-ky-khai-sinh/${stage}.bpmn`), 'utf8');
    const analysis = await analyseRestructuringXml(await model('as-is'), await model('to-be'));
    const cost = costByItem(analysis, 'vi');
    expect(cost.map((row) => row.label)).toEqual(['Chi phí thời gian', 'Chi phí khác', 'Phí, lệ phí']);
    expect(costByItem(analysis, 'en').map((row) => row.label)).toEqual(['Time cost', 'Other costs', 'Fees and charges']);
    // The three items are the whole of the cost, on each side.
    expect(cost.reduce((sum, row) => sum + row.before, 0)).toBeCloseTo(analysis.asIs.perDossier.totalVnd, 6);
    expect(cost.reduce((sum, row) => sum + row.after, 0)).toBeCloseTo(analysis.toBe.perDossier.totalVnd, 6);
    expect(cost.find((row) => row.key === 'feesVnd')).toMatchObject({ before: analysis.asIs.perDossier.feesVnd, after: analysis.toBe.perDossier.feesVnd });

    const burden = burdenByMeasure(analysis, 'vi');
    expect(burden.map((row) => [row.key, row.before, row.after])).toEqual([
      ['trips', analysis.asIs.perDossier.trips, analysis.toBe.perDossier.trips],
      ['documents', analysis.asIs.perDossier.documents, analysis.toBe.perDossier.documents],
      ['manualSteps', analysis.asIs.perDossier.manualSteps, analysis.toBe.perDossier.manualSteps],
    ]);
    // The savings' reductions are these bars' differences.
    expect(burden.map((row) => row.before - row.after)).toEqual([analysis.savings.trips, analysis.savings.documents, analysis.savings.manualSteps]);
    expect(leadTime(analysis, 'en')).toEqual([{ key: 'leadTimeWorkingHours', label: 'Lead time', before: analysis.asIs.perDossier.leadTimeWorkingHours, after: analysis.toBe.perDossier.leadTimeWorkingHours }]);
  });
});
