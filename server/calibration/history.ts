import type { ExecutedInstance } from '../../engine/calibration/measure.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';

/**
 * What calibration reads (issue 14, docs/calibration.md): a deployed version of a procedure and
 * the history of its instances that ran to an end (completed, stopped or failed) and started in
 * the period, as the engine recorded each step (`instance_history`, Circular 01 Art. 23.4), with
 * their dossier's code and what its records say of documents and trips (engine/calibration/burden.ts). Instances started by another instance are their caller's matter and are
 * left out. The instances are read through migration 0015's index on (definition, started), their
 * steps in batches over `instance_history (instance_id, id)`.
 */
export interface DeployedVersion {
  id: string;
  key: string;
  version: number;
  name: string | null;
  xml: string;
}

export interface DayRange {
  /** YYYY-MM-DD, Vietnam time, both included; open when absent. */
  from?: string | undefined;
  to?: string | undefined;
}

export async function deployedVersion(db: Database, key: string, version?: number): Promise<DeployedVersion> {
  const query = db('process_definitions').where({ key }).first<DeployedVersion | undefined>('id', 'key', 'version', 'name', 'xml');
  const row = await (version === undefined ? query.orderBy('version', 'desc') : query.where({ version }));
  if (!row) {
    const which = version === undefined ? key : `${key} v${version}`;
    throw new QuyTrinhError('not-found', 'definition.not-found', { vi: `Chưa triển khai quy trình ${which}`, en: `No deployed process ${which}` });
  }
  return row;
}

/** Vietnam keeps UTC+7 all year: a day there starts at 17:00 UTC the day before. */
const dayStart = (day: string) => `${day}T00:00:00+07:00`;
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
/** The Vietnam day of an instant. */
export const vietnamDay = (instant: Date) => new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

const BATCH = 1000;

export interface ExecutedHistory {
  instances: ExecutedInstance[];
  /** The first and last day an instance measured started, Vietnam time. */
  firstDay: string | undefined;
  lastDay: string | undefined;
}

export async function executedHistory(db: Database, definitionId: string, range: DayRange): Promise<ExecutedHistory> {
  const query = db('process_instances as i')
    .leftJoin('dossiers as d', 'd.instance_id', 'i.id')
    .where('i.definition_id', definitionId)
    .whereIn('i.status', ['completed', 'terminated', 'failed'])
    .whereNull('i.parent_instance_id')
    .orderBy([{ column: 'i.started_at' }, { column: 'i.id' }])
    .select<Array<{ id: string; code: string | null; started_at: Date }>>('i.id', 'd.code', 'i.started_at');
  if (range.from) void query.where('i.started_at', '>=', dayStart(range.from));
  if (range.to) void query.where('i.started_at', '<', dayStart(dayAfter(range.to)));
  const rows = await query;
  const instances: ExecutedInstance[] = rows.map((row) => ({ instanceId: row.id, dossierCode: row.code ?? undefined, steps: [] }));
  const byId = new Map(instances.map((instance) => [instance.instanceId, instance.steps as ExecutedInstance['steps'] & unknown[]]));
  for (let start = 0; start < rows.length; start += BATCH) {
    const ids = rows.slice(start, start + BATCH).map((row) => row.id);
    const steps = await db('instance_history')
      .whereIn('instance_id', ids)
      .orderBy([{ column: 'instance_id' }, { column: 'id' }])
      .select<Array<{ instance_id: string; event_type: string; element_id: string | null; actor: string | null; at: Date; active_after: string[] }>>('instance_id', 'event_type', 'element_id', 'actor', 'at', 'active_after');
    for (const step of steps) byId.get(step.instance_id)!.push({ eventType: step.event_type, elementId: step.element_id, actor: step.actor, at: step.at, activeAfter: step.active_after });
    for (const burden of await dossierBurdens(db, ids)) instances[start + ids.indexOf(burden.instance_id)]!.burden = { documents: burden.documents, reused: burden.reused, trips: burden.trips };
  }
  return { instances, firstDay: rows[0] && vietnamDay(rows[0].started_at), lastDay: rows.at(-1) && vietnamDay(rows.at(-1)!.started_at) };
}

/**
 * Per dossier of these instances: components uploaded (superseded ones included), components given
 * from the e-data store, and the days on which someone other than the applicant (an official at the
 * desk) digitized its paper, Vietnam time. Each count reads its table's dossier index.
 */
async function dossierBurdens(db: Database, instanceIds: readonly string[]): Promise<Array<{ instance_id: string; documents: number; reused: number; trips: number }>> {
  const rows = await db('dossiers as d')
    .join('accounts as a', 'a.id', 'd.owner_account_id')
    .whereIn('d.instance_id', instanceIds)
    .select<Array<{ instance_id: string; documents: string; reused: string; trips: string }>>(
      'd.instance_id',
      db.raw('(select count(*) from dossier_components c where c.dossier_id = d.id and c.stored_from is null) as documents'),
      db.raw('(select count(*) from dossier_components c where c.dossier_id = d.id and c.stored_from is not null) as reused'),
      db.raw("(select count(distinct (z.created_at at time zone 'Asia/Ho_Chi_Minh')::date) from digitizations z where z.dossier_id = d.id and z.created_by <> 'account:' || a.username) as trips"),
    );
  return rows.map((row) => ({ instance_id: row.instance_id, documents: Number(row.documents), reused: Number(row.reused), trips: Number(row.trips) }));
}
