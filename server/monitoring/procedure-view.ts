import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import type { MonitoringScope } from './access.ts';

/**
 * A procedure as a heat map (issue 14, docs/monitoring.md): for every element where running
 * instances of the procedure (any deployed version) stand now, how many, how long they have waited
 * there on average and at most, and how many are past the step's deadline (the task's `due_at`,
 * counted on the agency's working calendar when it opened: Decree 45 Art. 11.4), as the system
 * records each step in real time (Circular 01 Art. 23.4). The wait at a user task runs from when the task opened; elsewhere (a timer, a message,
 * an automatic step) from the instance's last step. Steps with overdue dossiers come first.
 */
export interface StepHeat {
  elementId: string;
  dossiers: number;
  averageWaitHours: number;
  longestWaitHours: number;
  overdue: number;
}

export async function procedureHeat(db: Database, scope: MonitoringScope, key: string, now = new Date()) {
  const latest = await db('process_definitions').where({ key }).orderBy('version', 'desc').first<{ version: number; name: string | null } | undefined>('version', 'name');
  if (!latest) throw new QuyTrinhError('not-found', 'definition.not-found', { vi: `Chưa triển khai quy trình ${key}`, en: `No deployed process ${key}` });
  // JIT off for this statement: its estimate (a look-up per running instance) crosses PostgreSQL's
  // JIT threshold, and compiling took 1.5 s of 1.9 s on 27,000 running instances; run, it takes 0.3 s.
  const { rows } = await db.transaction(async (trx) => {
    await trx.raw('set local jit = off');
    return trx.raw<{ rows: Array<{ element_id: string; dossiers: number; average_wait_s: number | null; longest_wait_s: number | null; overdue: number }> }>(
      `with standing as (
         select i.id, e.element_id
           from process_instances i
           cross join unnest(i.active_element_ids) as e(element_id)
          where i.status = 'active'
            and i.definition_id in (select id from process_definitions where key = ?)
            ${scope.all ? '' : 'and exists (select 1 from dossiers d where d.instance_id = i.id and d.agency_code = any(?::text[]))'}
       ), tasks as (
         select t.instance_id, t.element_id, min(t.created_at) as opened, bool_or(t.due_at < ?::timestamptz) as overdue
           from user_tasks t
          where t.status = 'open' and t.instance_id in (select id from standing)
          group by t.instance_id, t.element_id
       ), waiting as (
         select s.element_id, coalesce(t.overdue, false) as overdue,
                extract(epoch from (?::timestamptz - coalesce(t.opened, (select h.at from instance_history h where h.instance_id = s.id order by h.id desc limit 1)))) as wait_s
           from standing s
           left join tasks t on t.instance_id = s.id and t.element_id = s.element_id
       )
       select element_id, count(*)::int as dossiers, avg(wait_s)::float8 as average_wait_s, max(wait_s)::float8 as longest_wait_s,
              count(*) filter (where overdue)::int as overdue
         from waiting
        group by element_id`,
      [key, ...(scope.all ? [] : [scope.agencies]), now.toISOString(), now.toISOString()],
    );
  });
  const hours = (seconds: number | null) => Math.round(((seconds ?? 0) / 3600) * 10) / 10;
  const steps: StepHeat[] = rows
    .map((row) => ({ elementId: row.element_id, dossiers: row.dossiers, averageWaitHours: hours(row.average_wait_s), longestWaitHours: hours(row.longest_wait_s), overdue: row.overdue }))
    .sort((a, b) => b.overdue - a.overdue || b.dossiers - a.dossiers || a.elementId.localeCompare(b.elementId));
  return { procedure: { key, version: latest.version, name: latest.name }, at: now, steps };
}
