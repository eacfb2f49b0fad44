import type { Knex } from 'knex';

/**
 * Issue 14, the procedure heat map at a million rows (docs/monitoring.md, "Step counters"): how
 * many dossiers stand at each element of a procedure now and since when, kept by triggers in the
 * transaction that moves them, whatever path wrote (the engine's locked step, the batched task
 * completions, a move, a migration, a cancellation, a called instance terminated, an incident).
 *
 * - `process_instances.stepped_at`: the time of the instance's last step by the engine's clock
 *   (the history row's `at`), so an element entered is dated as its history says, on a simulated
 *   clock too. A row inserted without it (a seed, an import) entered its elements when it started.
 * - `instance_positions`: one row per element a running instance stands at, with the dossier's
 *   agency ('' for an instance without a dossier) and the time it entered the element. Kept from
 *   `process_instances` (status, active elements, definition) and `dossiers` (its agency). The
 *   index answers the longest wait of each element and agency with one index probe.
 * - `procedure_step_counts` and `procedure_step_count_deltas`: per definition, agency and element,
 *   how many stand there and the sum of their entry times (epoch seconds), so the average wait at
 *   any moment is now − sum / count. A position written appends a delta row (+1 or −1 and its entry
 *   time), never updates a shared row: concurrent steps of one procedure at one element take no
 *   common lock and cannot deadlock on the counters. The heat map folds the deltas into the totals
 *   (`fold_procedure_step_counts`, under an advisory lock, in one transaction so a reader sees the
 *   deltas either before or after) and reads totals plus the deltas left.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table process_instances add column stepped_at timestamptz');
  await knex.raw(`create table instance_positions (
    instance_id uuid not null references process_instances (id) on delete cascade,
    element_id text not null,
    definition_id uuid not null,
    agency_code text not null,
    since timestamptz not null,
    primary key (instance_id, element_id))`);
  await knex.raw('create index instance_positions_longest on instance_positions (definition_id, element_id, agency_code, since)');
  await knex.raw(`create table procedure_step_counts (
    definition_id uuid not null,
    agency_code text not null,
    element_id text not null,
    dossiers integer not null,
    since_seconds bigint not null,
    primary key (definition_id, agency_code, element_id))`);
  await knex.raw(`create table procedure_step_count_deltas (
    definition_id uuid not null,
    agency_code text not null,
    element_id text not null,
    dossiers integer not null,
    since_seconds bigint not null)`);

  // Where an instance stands: a running instance stands at its active elements; any other at none.
  // An element it already stood at keeps its entry time (a step elsewhere in a parallel instance,
  // a migration, which changes the definition only).
  await knex.raw(`create function instance_positions_of_instance() returns trigger language plpgsql as $$
    begin
      if new.status <> 'active' then
        if tg_op = 'UPDATE' and old.status = 'active' then delete from instance_positions where instance_id = new.id; end if;
        return null;
      end if;
      if tg_op = 'UPDATE' and old.status = 'active' then
        delete from instance_positions where instance_id = new.id and not (element_id = any (new.active_element_ids));
        if new.definition_id <> old.definition_id then
          update instance_positions set definition_id = new.definition_id where instance_id = new.id;
        end if;
      end if;
      insert into instance_positions (instance_id, element_id, definition_id, agency_code, since)
      select new.id, e.element_id, new.definition_id, coalesce((select d.agency_code from dossiers d where d.instance_id = new.id), ''), coalesce(new.stepped_at, new.started_at)
        from unnest(new.active_element_ids) as e(element_id)
       where tg_op = 'INSERT' or old.status <> 'active' or not (e.element_id = any (old.active_element_ids))
      on conflict (instance_id, element_id) do nothing;
      return null;
    end $$`);
  await knex.raw(`create trigger process_instances_positions after insert on process_instances
    for each row when (new.status = 'active') execute function instance_positions_of_instance()`);
  await knex.raw(`create trigger process_instances_positions_moved after update of status, active_element_ids, definition_id on process_instances
    for each row when (old.status is distinct from new.status or old.active_element_ids is distinct from new.active_element_ids or old.definition_id is distinct from new.definition_id)
    execute function instance_positions_of_instance()`);

  // A dossier names the agency its instance's positions count for (it is written after its instance); without one, ''.
  await knex.raw(`create function instance_positions_of_dossier() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' or (tg_op = 'UPDATE' and old.instance_id <> new.instance_id) then
        update instance_positions set agency_code = '' where instance_id = old.instance_id and agency_code <> '';
      end if;
      if tg_op <> 'DELETE' then
        update instance_positions set agency_code = new.agency_code where instance_id = new.instance_id and agency_code <> new.agency_code;
      end if;
      return null;
    end $$`);
  await knex.raw(`create trigger dossiers_positions after insert or update of agency_code, instance_id or delete on dossiers
    for each row execute function instance_positions_of_dossier()`);

  // Each position written is a delta of the counters: +1 and its entry time where it stands now, −1 where it stood.
  await knex.raw(`create function procedure_step_count_deltas_of_position() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' then
        insert into procedure_step_count_deltas values (old.definition_id, old.agency_code, old.element_id, -1, -floor(extract(epoch from old.since))::bigint);
      end if;
      if tg_op <> 'DELETE' then
        insert into procedure_step_count_deltas values (new.definition_id, new.agency_code, new.element_id, 1, floor(extract(epoch from new.since))::bigint);
      end if;
      return null;
    end $$`);
  await knex.raw(`create trigger instance_positions_counts after insert or update or delete on instance_positions
    for each row execute function procedure_step_count_deltas_of_position()`);

  // The deltas folded into the totals. One folder at a time (the others read the deltas as they
  // are); it removes only the deltas its statement saw, so a step committing meanwhile keeps its own.
  await knex.raw(`create function fold_procedure_step_counts() returns void language plpgsql as $$
    begin
      if not pg_try_advisory_xact_lock(hashtext('fold_procedure_step_counts')) then return; end if;
      with folded as (delete from procedure_step_count_deltas returning *)
      insert into procedure_step_counts (definition_id, agency_code, element_id, dossiers, since_seconds)
      select definition_id, agency_code, element_id, sum(dossiers), sum(since_seconds) from folded group by 1, 2, 3
      on conflict (definition_id, agency_code, element_id) do update
        set dossiers = procedure_step_counts.dossiers + excluded.dossiers, since_seconds = procedure_step_counts.since_seconds + excluded.since_seconds;
      delete from procedure_step_counts where dossiers = 0;
    end $$`);

  // The instances running when the migration runs.
  await knex.raw(`insert into instance_positions (instance_id, element_id, definition_id, agency_code, since)
    select i.id, e.element_id, i.definition_id, coalesce(d.agency_code, ''),
           coalesce((select max(h.at) from instance_history h where h.instance_id = i.id), i.started_at)
      from process_instances i
      cross join unnest(i.active_element_ids) as e(element_id)
      left join dossiers d on d.instance_id = i.id
     where i.status = 'active'
    on conflict do nothing`);
  await knex.raw('select fold_procedure_step_counts()');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger dossiers_positions on dossiers');
  await knex.raw('drop trigger process_instances_positions on process_instances');
  await knex.raw('drop trigger process_instances_positions_moved on process_instances');
  await knex.raw('drop table procedure_step_count_deltas, procedure_step_counts, instance_positions');
  await knex.raw('drop function fold_procedure_step_counts(), procedure_step_count_deltas_of_position(), instance_positions_of_dossier(), instance_positions_of_instance()');
  await knex.raw('alter table process_instances drop column stepped_at');
}
