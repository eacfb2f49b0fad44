import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { recordDossierEvent } from '../dossiers/records.ts';
import { terminateInstances } from '../execution/calls.ts';
import { MAX_COMMENT_LENGTH, safeString } from '../http/input-limits.ts';
import { pageOf, type Keyset, type Page, type PageRequest } from '../http/pagination.ts';
import type { Principal } from '../identity/roles.ts';
import { seesVariables, type MonitoringScope } from './access.ts';
import { INTERVENTION_ACTIONS } from './interventions.ts';

/**
 * One instance as the monitoring screen shows it (issue 14, docs/monitoring.md; Circular 01
 * Art. 23.4: every step recorded in real time, its history kept): where it stands,
 * the path it took and how often it entered each element (from its history), its open incidents,
 * its dossier; variables for staff and administrators only. And the operator's cancellation, with
 * a reason kept on the instance and in the dossier's history.
 */
interface InstanceRow {
  id: string;
  definition_id: string;
  key: string;
  version: number;
  name: string | null;
  business_key: string | null;
  status: string;
  active_element_ids: string[];
  variables: Record<string, unknown>;
  failure: unknown;
  parent_instance_id: string | null;
  started_at: Date;
  ended_at: Date | null;
  dossier_id: string | null;
  code: string | null;
  dossier_status: string | null;
  applicant_name: string | null;
  agency_code: string | null;
  procedure_name: string | null;
  submitted_at: Date | null;
}

function notFound(instanceId: string): QuyTrinhError {
  return new QuyTrinhError('not-found', 'instance.not-found', { vi: `Không có hồ sơ quy trình ${instanceId}`, en: `No process instance ${instanceId}` });
}

/** The instance with its dossier, if the scope lets the caller see it; 404 otherwise (nothing reveals another agency's dossier). */
async function visibleInstance(db: Database, scope: MonitoringScope, instanceId: string): Promise<InstanceRow> {
  const row = await db('process_instances as i')
    .join('process_definitions as pd', 'pd.id', 'i.definition_id')
    .leftJoin('dossiers as d', 'd.instance_id', 'i.id')
    .where('i.id', instanceId)
    .first<InstanceRow | undefined>(
      'i.id', 'i.definition_id', 'pd.key', 'pd.version', 'pd.name', 'i.business_key', 'i.status', 'i.active_element_ids', 'i.variables', 'i.failure', 'i.parent_instance_id', 'i.started_at', 'i.ended_at',
      'd.id as dossier_id', 'd.code', 'd.status as dossier_status', 'd.applicant_name', 'd.agency_code', 'd.procedure_name', 'd.submitted_at',
    );
  if (!row || (!scope.all && (row.agency_code === null || !scope.agencies.includes(row.agency_code)))) throw notFound(instanceId);
  return row;
}

/**
 * How many times the instance entered each element: an element is entered by a step whose active
 * set holds it when the step before did not (the history's `active_after`, issue 3). The path
 * taken is those elements and the ones steps acted on (a task completed, a message caught).
 */
async function elementCounts(db: Database, instanceId: string): Promise<{ entered: Record<string, number>; path: string[] }> {
  const { rows } = await db.raw<{ rows: Array<{ element_id: string; entered: number }> }>(
    `with steps as (
       select element_id, active_after, lag(active_after, 1, '{}'::text[]) over (order by id) as before
         from instance_history where instance_id = ?)
     select e.element_id, count(*)::int as entered
       from steps, unnest(steps.active_after) as e(element_id)
      where not e.element_id = any(steps.before)
      group by e.element_id
     union all
     select distinct element_id, 0 from steps where element_id is not null`,
    [instanceId],
  );
  const entered: Record<string, number> = {};
  for (const row of rows) entered[row.element_id] = Math.max(entered[row.element_id] ?? 0, row.entered);
  return { entered: Object.fromEntries(Object.entries(entered).filter(([, count]) => count > 0)), path: Object.keys(entered) };
}

export async function instanceView(db: Database, scope: MonitoringScope, instanceId: string) {
  const row = await visibleInstance(db, scope, instanceId);
  const [{ entered, path }, incidents] = await Promise.all([
    elementCounts(db, instanceId),
    db('incidents').where({ instance_id: instanceId }).whereNull('resolved_at').orderBy([{ column: 'created_at' }, { column: 'id' }]).limit(100)
      .select<Array<{ id: string; element_id: string; message: string; created_at: Date }>>('id', 'element_id', 'message', 'created_at'),
  ]);
  return {
    id: row.id,
    procedure: { key: row.key, version: row.version, name: row.name },
    businessKey: row.business_key,
    status: row.status,
    activeElementIds: row.active_element_ids,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    callerInstanceId: row.parent_instance_id,
    failure: row.failure,
    entered,
    path,
    incidents: incidents.map((incident) => ({ id: incident.id, elementId: incident.element_id, message: incident.message, createdAt: incident.created_at })),
    dossier: row.dossier_id === null
      ? null
      : { id: row.dossier_id, code: row.code, status: row.dossier_status, applicantName: row.applicant_name, agencyCode: row.agency_code, procedureName: row.procedure_name, submittedAt: row.submitted_at },
    ...(seesVariables(scope) ? { variables: row.variables } : {}),
  };
}

const historyOrder: Keyset = { name: 'monitoring.history', keys: [{ sql: 'id', kind: 'bigint' }] };

/** The instance's history, oldest first; the variables each step changed for staff and administrators only. */
export async function instanceHistory(db: Database, scope: MonitoringScope, instanceId: string, page: PageRequest): Promise<Page<Record<string, unknown>>> {
  await visibleInstance(db, scope, instanceId);
  const withVariables = seesVariables(scope);
  // An operator's move or migration: its reason and what changed, from the audit record its transaction wrote (interventions.ts).
  const intervention = db.raw(
    `case when event_type in ('move', 'migrate') then (select a.detail from audit_log a where a.txid = instance_history.txid and a.target = instance_history.instance_id::text and a.action in (?, ?) limit 1) end as intervention`,
    [INTERVENTION_ACTIONS.move, INTERVENTION_ACTIONS.migrate],
  );
  return pageOf(db, db('instance_history').select('*', intervention).where({ instance_id: instanceId }), historyOrder, page, (row: Record<string, unknown>) => ({
    eventType: row.event_type,
    elementId: row.element_id,
    actor: row.actor,
    at: row.at,
    statusAfter: row.status_after,
    activeAfter: row.active_after,
    ...(row.intervention ? { intervention: row.intervention } : {}),
    ...(withVariables ? { variablesChanged: row.variables_changed } : {}),
  }));
}

export const cancelBody = z.object({
  /** Why the operator ends the instance: kept with it and shown in the dossier's history. */
  reason: safeString(MAX_COMMENT_LENGTH).trim().min(5, 'at least 5 characters'),
});

/**
 * Ends a running instance by an operator's decision: its tasks, jobs, subscriptions and timers are
 * withdrawn and what it called is terminated (execution/calls.ts), in one transaction under the
 * instance's lock. The reason and who gave it are kept on the instance (`failure.cancelled`) and,
 * for a dossier, in its history; the request itself is in the audit trail (Circular 01 Art. 23.4).
 * A run started by another instance is refused: its caller would wait for it for ever.
 */
export async function cancelInstance(db: Database, principal: Principal, instanceId: string, reason: string): Promise<{ id: string; status: 'terminated' }> {
  const now = new Date();
  await db.transaction(async (trx) => {
    const instance = await trx('process_instances').where({ id: instanceId }).forUpdate().first<{ status: string; parent_instance_id: string | null } | undefined>('status', 'parent_instance_id');
    if (!instance) throw notFound(instanceId);
    if (instance.status !== 'active') {
      throw new QuyTrinhError('conflict', 'instance.not-active', { vi: `Hồ sơ quy trình ${instanceId} đã kết thúc (${instance.status}), không huỷ được`, en: `Process instance ${instanceId} has already ended (${instance.status}) and cannot be cancelled` });
    }
    if (instance.parent_instance_id !== null) {
      throw new QuyTrinhError('conflict', 'instance.called', {
        vi: `Hồ sơ quy trình ${instanceId} do hồ sơ ${instance.parent_instance_id} gọi: hãy huỷ hồ sơ gọi nó`,
        en: `Process instance ${instanceId} was started by ${instance.parent_instance_id}: cancel that instance instead`,
      });
    }
    await terminateInstances(trx, [instanceId], now, `cancel:${randomUUID()}`, principal.actor);
    await trx('process_instances').where({ id: instanceId }).update({ failure: JSON.stringify({ cancelled: { reason, by: principal.actor, at: now.toISOString() } }) });
    const dossier = await trx('dossiers').where({ instance_id: instanceId }).whereNull('ended_at').update({ ended_at: now }).returning<Array<{ id: string }>>('id');
    for (const { id } of dossier) {
      await recordDossierEvent(trx, id, 'cancelled', principal.actor, { reason, text: { vi: `Hồ sơ bị dừng xử lý: ${reason}`, en: `Processing stopped: ${reason}` } }, now);
    }
  });
  return { id: instanceId, status: 'terminated' };
}
