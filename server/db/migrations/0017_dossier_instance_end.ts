import type { Knex } from 'knex';

/**
 * A dossier ends with its process instance (docs/dossiers.md): when the instance completes, the
 * dossier gets its end time and, unless it ended with a result issued or a refusal, the status
 * `completed`, with a history line. A trigger, because an instance completes on more than one
 * write path (the locked step of instances.ts, the batched task completions of
 * server/execution/single-statement-step.ts) and each must end the dossier in its transaction.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function dossier_instance_completed() returns trigger language plpgsql as $$
    begin
      with ended as (
        update dossiers
           set status = case when status in ('result-issued', 'refused') then status else 'completed' end,
               ended_at = coalesce(new.ended_at, now())
         where instance_id = new.id and ended_at is null
        returning id, status, ended_at
      )
      insert into dossier_events (dossier_id, at, actor, kind, details)
      select id, ended_at, 'engine', 'ended', jsonb_build_object('status', status, 'text', jsonb_build_object(
               'vi', 'Hồ sơ đã kết thúc xử lý',
               'en', 'The application''s processing ended'))
        from ended;
      return null;
    end $$`);
  await knex.raw(`
    create trigger process_instances_dossier_end after update of status on process_instances
    for each row when (old.status = 'active' and new.status = 'completed')
    execute function dossier_instance_completed()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger process_instances_dossier_end on process_instances');
  await knex.raw('drop function dossier_instance_completed()');
}
