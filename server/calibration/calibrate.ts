import { z } from 'zod';
import type { CalibrationRequest, CalibrationResult } from '../../engine/calibration/calibrate.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { listAgencyCalendars } from '../execution/agency-calendars.ts';
import { storedProcess } from '../execution/definitions.ts';
import { pageOf, type Keyset, type Page, type PageRequest } from '../http/pagination.ts';
import { modelStore } from '../models/store.ts';
import { deployedVersion, executedHistory } from './history.ts';

/**
 * `quytrinh calibrate` and `POST /api/procedures/{key}/calibrate` (issue 14, docs/calibration.md):
 * a deployed procedure's figures measured on the dossiers it ran, written into a copy of its model
 * stored as a new model version (server/models, through its store), marked with the period and
 * sample sizes; and the dossiers that did not follow the model, kept with it to be listed.
 *
 * The measuring itself (engine/calibration) is CPU work in proportion to the history: the API runs
 * it on the analysis pool's threads, the CLI in its own process; `compute` is whichever.
 */
const isoDay = z.iso.date('a day as YYYY-MM-DD');

export const calibrateInput = z
  .object({
    /** The first and last day (Vietnam time) of the instances measured, by the day they started; all of them when absent. */
    from: isoDay.optional(),
    to: isoDay.optional(),
    /** The deployed version to calibrate; the latest when absent. */
    version: z.number().int().positive('a version number: 1, 2, ...').optional(),
    /** A saved model to add the calibrated copy to as its next version; a new to-be model otherwise. */
    modelId: z.uuid('not a model id (UUID)').optional(),
  })
  .strict()
  .refine((input) => input.from === undefined || input.to === undefined || input.from <= input.to, { path: ['to'], message: 'before `from`' });
export type CalibrateInput = z.output<typeof calibrateInput>;

export interface CalibrationOutcome {
  id: string;
  procedure: { key: string; version: number; name: string | null };
  period: { from: string; to: string };
  /** The saved model the calibrated copy is a version of. */
  model: { id: string; version: number; name: string };
  dossiers: number;
  excluded: number;
  steps: CalibrationResult['calibration']['steps'];
  branches: CalibrationResult['calibration']['branches'];
  loops: CalibrationResult['calibration']['loops'];
  burden: CalibrationResult['calibration']['burden'];
  comparison: CalibrationResult['comparison'];
}

export async function calibrateProcedure(db: Database, key: string, input: CalibrateInput, author: string, compute: (request: CalibrationRequest) => Promise<CalibrationResult>): Promise<CalibrationOutcome> {
  const deployed = await deployedVersion(db, key, input.version);
  // A model named is checked before anything is measured: a wrong id costs no computation.
  const target = input.modelId === undefined ? undefined : await modelStore(db).get(input.modelId);
  const history = await executedHistory(db, deployed.id, input);
  if (history.instances.length === 0) {
    throw new QuyTrinhError('unprocessable', 'calibration.no-history', {
      vi: `Chưa có hồ sơ nào của quy trình ${key} phiên bản ${deployed.version} đã kết thúc trong khoảng thời gian này: không có gì để hiệu chỉnh`,
      en: `No instance of process ${key} version ${deployed.version} ended in this period: there is nothing to calibrate from`,
    }, [{ field: input.from !== undefined || input.to !== undefined ? 'body.from' : 'params.key', message: 'no executed instance' }]);
  }
  const period = { from: input.from ?? history.firstDay!, to: input.to ?? history.lastDay! };
  const calendars = (await listAgencyCalendars(db)).map((settings) => ({ agency: settings.agency, officeHours: settings.officeHours, workingWeekdays: settings.workingWeekdays }));
  const result = await compute({ ...storedProcess(deployed), instances: history.instances, calendars, period });
  const { calibration } = result;
  if (calibration.dossiers === 0) {
    throw new QuyTrinhError('unprocessable', 'calibration.none-conforming', {
      vi: `Không hồ sơ nào trong ${calibration.excluded} hồ sơ đã kết thúc đi đúng mô hình: không hiệu chỉnh được`,
      en: `None of the ${calibration.excluded} ended instances followed the model: nothing to calibrate from`,
    }, [{ field: 'params.key', message: 'no conforming instance' }]);
  }
  const comment = `Hiệu chỉnh theo thực tế: ${calibration.dossiers} hồ sơ từ ${period.from} đến ${period.to} (${key} v${deployed.version}) / Calibrated from ${calibration.dossiers} dossiers, ${period.from} to ${period.to}`;
  const name = target?.name ?? `${deployed.name ?? key} — hiệu chỉnh ${period.from}…${period.to}`;
  const figures = { steps: calibration.steps, branches: calibration.branches, loops: calibration.loops, burden: calibration.burden, comparison: result.comparison };
  return db.transaction(async (trx) => {
    const models = modelStore(trx);
    // The same period calibrated again is the next version of its calibrated model, not a duplicate name (docs/models.md).
    const into = target ?? (await models.named(name, 'to-be'));
    const saved = into === undefined ? await models.create({ name, stage: 'to-be', xml: result.xml, comment, author }) : await models.addVersion(into.id, { xml: result.xml, comment, author });
    const [row] = await trx('model_calibrations')
      .insert({
        procedure_key: key,
        definition_version: deployed.version,
        model_id: saved.id,
        model_version: saved.version,
        period_from: period.from,
        period_to: period.to,
        dossiers: calibration.dossiers,
        excluded: calibration.excluded,
        figures: JSON.stringify(figures),
        author,
      })
      .returning<Array<{ id: string }>>('id');
    for (let start = 0; start < result.nonConforming.length; start += 1000) {
      await trx('calibration_nonconforming').insert(
        result.nonConforming.slice(start, start + 1000).map((each) => ({ calibration_id: row!.id, instance_id: each.instanceId, dossier_code: each.dossierCode ?? null, deviations: JSON.stringify(each.deviations) })),
      );
    }
    return {
      id: row!.id,
      procedure: { key, version: deployed.version, name: deployed.name },
      period,
      model: { ...saved, name },
      dossiers: calibration.dossiers,
      excluded: calibration.excluded,
      ...figures,
    };
  });
}

const nonConformingOrder: Keyset = { name: 'calibration.nonconforming', keys: [{ sql: 'id', kind: 'bigint' }] };

export interface NonConformingItem {
  instanceId: string;
  dossierCode: string | null;
  deviations: Array<{ kind: string; at: string; eventType: string; elementId?: string; fromElementId?: string; actor?: string }>;
}

/** The dossiers of a calibration's period that did not follow the model, in the order they started. */
export async function nonConformingPage(db: Database, calibrationId: string, page: PageRequest): Promise<Page<NonConformingItem> & { calibration: { id: string; procedureKey: string; definitionVersion: number; period: { from: string; to: string } } }> {
  const calibration = await db('model_calibrations')
    .where({ id: calibrationId })
    .first<{ id: string; procedure_key: string; definition_version: number; period_from: string; period_to: string } | undefined>('id', 'procedure_key', 'definition_version', db.raw('period_from::text as period_from'), db.raw('period_to::text as period_to'));
  if (!calibration) throw new QuyTrinhError('not-found', 'calibration.not-found', { vi: `Không có lần hiệu chỉnh ${calibrationId}`, en: `No calibration ${calibrationId}` });
  const listed = await pageOf(db, db('calibration_nonconforming').select('instance_id', 'dossier_code', 'deviations').where({ calibration_id: calibrationId }), nonConformingOrder, page, (row: { instance_id: string; dossier_code: string | null; deviations: NonConformingItem['deviations'] }) => ({
    instanceId: row.instance_id,
    dossierCode: row.dossier_code,
    deviations: row.deviations,
  }));
  return { calibration: { id: calibration.id, procedureKey: calibration.procedure_key, definitionVersion: calibration.definition_version, period: { from: calibration.period_from, to: calibration.period_to } }, ...listed };
}
