import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import type { MonitoringScope } from './access.ts';

/**
 * A procedure as a heat map (issue 14, docs/monitoring.md): for every element where running
 * instances of the procedure (any deployed version) stand now, how many, how long they have waited
 * there on average and at most, and how many are past the step's deadline (the task's `due_at`,
 * counted on the agency's working calendar when it opened: Decree 45 Art. 11.4), as the system
 * records each step in real time (Circular 01 Art. 23.4). The wait runs from the step that
 * entered the element (for a user task, the step that opened it). Steps with overdue dossiers come first.
 */
export interface StepHeat {
  elementId: string;
  dossiers: number;
  averageWaitHours: number;
  longestWaitHours: number;
  overdue: number;
}

/** Folds the counters' deltas into their totals (migration 0044); the heat map and a recurring job call it. */
export async function foldStepCounts(db: Database): Promise<void> {
  await db.raw('select fold_procedure_step_counts()');
}

/** How often the job runner folds them, so the deltas a heat map reads stay few when nobody asks for one. */
export const STEP_COUNTS_FOLD_MS = 5 * 60_000;

/**
 * Read from the step counters (migration 0044), so its cost grows with the elements and agencies
 * of the procedure, not with the dossiers running: the count and the sum of entry times per
 * element and agency, the longest wait as one probe of `instance_positions_longest` for each, and
 * the overdue ones from the open tasks past their deadline (`user_tasks_list`), which depend on
 * the moment asked and so cannot be counted ahead.
 */
export async function procedureHeat(db: Database, scope: MonitoringScope, key: string, now = new Date()) {
  const latest = await db('process_definitions').where({ key }).orderBy('version', 'desc').first<{ version: number; name: string | null } | undefined>('version', 'name');
  if (!latest) throw new QuyTrinhError('not-found', 'definition.not-found', { vi: `Chưa triển khai quy trình ${key}`, en: `No deployed process ${key}` });
  await foldStepCounts(db);
  const agencies = scope.all ? '' : 'and agency_code = any(?::text[])';
  const { rows } = await db.raw<{ rows: Array<{ element_id: string; dossiers: number; since_sum: string; oldest: Date; overdue: number }> }>(
    `with defs as (select id from process_definitions where key = ?),
     counts as (
       select definition_id, agency_code, element_id, sum(dossiers)::int as dossiers, sum(since_seconds) as since_sum
         from (select definition_id, agency_code, element_id, dossiers, since_seconds from procedure_step_counts where definition_id in (select id from defs) ${agencies}
               union all
               select definition_id, agency_code, element_id, dossiers, since_seconds from procedure_step_count_deltas where definition_id in (select id from defs) ${agencies}) as c
        group by 1, 2, 3
       having sum(dossiers) > 0
     ), late as (
       select t.element_id, count(distinct t.instance_id)::int as overdue
         from user_tasks t
         join process_instances i on i.id = t.instance_id
        where t.status = 'open' and coalesce(t.due_at, 'infinity'::timestamptz) < ?::timestamptz
          and i.status = 'active' and i.definition_id in (select id from defs)
          ${scope.all ? '' : 'and exists (select 1 from dossiers d where d.instance_id = i.id and d.agency_code = any(?::text[]))'}
        group by t.element_id
     )
     select c.element_id, sum(c.dossiers)::int as dossiers, sum(c.since_sum)::text as since_sum,
            min((select p.since from instance_positions p
                  where p.definition_id = c.definition_id and p.element_id = c.element_id and p.agency_code = c.agency_code
                  order by p.since limit 1)) as oldest,
            coalesce(max(l.overdue), 0)::int as overdue
       from counts c left join late l on l.element_id = c.element_id
      group by c.element_id`,
    scope.all ? [key, now.toISOString()] : [key, scope.agencies, scope.agencies, now.toISOString(), scope.agencies],
  );
  const hours = (seconds: number) => Math.round((Math.max(0, seconds) / 3600) * 10) / 10;
  const nowSeconds = now.getTime() / 1000;
  const steps: StepHeat[] = rows
    .map((row) => ({
      elementId: row.element_id,
      dossiers: row.dossiers,
      // The counters hold the sum of the entry times (whole seconds): the average wait is now − their mean.
      averageWaitHours: hours(nowSeconds - Number(row.since_sum) / row.dossiers),
      longestWaitHours: hours(nowSeconds - new Date(row.oldest).getTime() / 1000),
      overdue: row.overdue,
    }))
    .sort((a, b) => b.overdue - a.overdue || b.dossiers - a.dossiers || a.elementId.localeCompare(b.elementId));
  return { procedure: { key, version: latest.version, name: latest.name }, at: now, steps };
}
