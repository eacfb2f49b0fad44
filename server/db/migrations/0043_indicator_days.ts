import type { Knex } from 'knex';
import { STORED_FACTS } from '../../indicators/groups.ts';
import { DOSSIER_COLUMNS, endedDossierAsFigures, ROLLUP_COUNTS, vietnamDaySql } from '../../indicators/rollup.ts';

/**
 * Issue 14, the indicators of a half-year or a year of 100,000 dossiers under 300 ms
 * (docs/indicators.md "Performance"): `dossier_indicator_days`, the figures of the ended dossiers
 * per agency, procedure (with the name the dossiers carry) and Vietnam day of receipt
 * (server/indicators/rollup.ts), so that a period reads a row per day and procedure instead of a
 * row per dossier; the dossiers still in progress are counted per dossier when asked (report.ts).
 *
 * The rollup follows the facts rows of migration 0040: each facts row now also keeps the dossier's
 * own columns the figures read (agency, procedure, receipt and end), so a trigger on the facts
 * alone can take the old row's part out and put the new row's in, in the writing transaction. It
 * runs only when an ended dossier's facts row changes (its end, a rating, a late notice): the
 * trigger's condition skips the rows of dossiers in progress and rewrites that change nothing.
 *
 * The refresh of 0040 is rebuilt with the dossier columns: a change to a stored fact or an
 * indicator needs a migration that calls `createRefresh` and `createRollup` of this file again and
 * refills both tables (test/server/indicator-facts.test.ts compares them with a recount).
 */
export async function createRefresh(knex: Knex): Promise<void> {
  const columns = [...DOSSIER_COLUMNS, ...STORED_FACTS.map(([name]) => name)];
  const values = [...DOSSIER_COLUMNS.map((column) => `d.${column}`), ...STORED_FACTS.map(([, sql]) => sql)];
  // As in 0040: the row is locked before it is computed, in a statement of its own.
  await knex.raw(`
    create or replace function refresh_dossier_indicator_facts(dossier uuid) returns void language plpgsql as $$
    begin
      perform 1 from dossier_indicator_facts where dossier_id = dossier for update;
      insert into dossier_indicator_facts (dossier_id, ${columns.join(', ')})
      select d.id, ${values.join(', ')}
        from dossiers d
       where d.id = dossier
      on conflict (dossier_id) do update set ${columns.map((c) => `${c} = excluded.${c}`).join(', ')};
    end $$`);
}

const KEY = ['day', 'agency_code', 'procedure_key', 'procedure_name'];

/**
 * Takes a facts row's part out (`before`, null for an insert) and puts the new row's in (`after`,
 * null for a delete), as one upsert per day's row touched: a dossier in progress has no part.
 */
export async function createRollup(knex: Knex): Promise<void> {
  const counts = ROLLUP_COUNTS.map(([column]) => column);
  await knex.raw(`
    create or replace function change_dossier_indicator_days(before dossier_indicator_facts, after dossier_indicator_facts) returns void language plpgsql as $$
    begin
      insert into dossier_indicator_days as r (${KEY.join(', ')}, ${counts.join(', ')})
      select c.day, c.agency_code, c.procedure_key, c.procedure_name, ${counts.map((column) => `sum(c.sign * c.${column})`).join(', ')}
        from (select f.sign, ${vietnamDaySql('f.submitted_at')} as day, f.agency_code, f.procedure_key, f.procedure_name,
                     ${ROLLUP_COUNTS.map(([column, aggregate]) => `(${aggregate}) as ${column}`).join(', ')}
                from (select -1 as sign, ${endedDossierAsFigures('before')} where (before).ended_at is not null
                      union all
                      select 1 as sign, ${endedDossierAsFigures('after')} where (after).ended_at is not null) as f
               group by f.sign, f.submitted_at, f.agency_code, f.procedure_key, f.procedure_name) as c
       group by c.day, c.agency_code, c.procedure_key, c.procedure_name
      on conflict (${KEY.join(', ')}) do update set ${counts.map((c) => `${c} = r.${c} + excluded.${c}`).join(', ')};
    end $$`);
}

export async function up(knex: Knex): Promise<void> {
  const { rows: types } = await knex.raw<{ rows: Array<{ name: string; type: string }> }>(
    `select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute where attrelid = 'dossiers'::regclass and attname = any(?) order by attnum`,
    [[...DOSSIER_COLUMNS]],
  );
  await knex.raw(`alter table dossier_indicator_facts ${types.map(({ name, type }) => `add column ${name} ${type}`).join(', ')}`);
  await knex.raw(`update dossier_indicator_facts x set ${DOSSIER_COLUMNS.map((c) => `${c} = d.${c}`).join(', ')} from dossiers d where d.id = x.dossier_id`);
  await createRefresh(knex);

  await knex.raw(`create table dossier_indicator_days (
    day date not null, agency_code text not null, procedure_key text not null, procedure_name text not null,
    ${ROLLUP_COUNTS.map(([column]) => `${column} integer not null`).join(', ')},
    primary key (${KEY.join(', ')}))`);
  await createRollup(knex);
  await knex.raw(`create function dossier_indicator_days_of_facts() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then perform change_dossier_indicator_days(null, new);
      elsif tg_op = 'DELETE' then perform change_dossier_indicator_days(old, null);
      else perform change_dossier_indicator_days(old, new);
      end if;
      return null;
    end $$`);
  // Only an ended dossier's row counts; a rewrite that changes nothing (the refresh rewrites on every write) changes no sum.
  await knex.raw(`create trigger dossier_indicator_days_insert after insert on dossier_indicator_facts
    for each row when (new.ended_at is not null) execute function dossier_indicator_days_of_facts()`);
  await knex.raw(`create trigger dossier_indicator_days_update after update on dossier_indicator_facts
    for each row when ((old.ended_at is not null or new.ended_at is not null) and old.* is distinct from new.*) execute function dossier_indicator_days_of_facts()`);
  await knex.raw(`create trigger dossier_indicator_days_delete after delete on dossier_indicator_facts
    for each row when (old.ended_at is not null) execute function dossier_indicator_days_of_facts()`);
  await knex.raw(`insert into dossier_indicator_days (${KEY.join(', ')}, ${ROLLUP_COUNTS.map(([column]) => column).join(', ')})
    select ${vietnamDaySql('f.submitted_at')} as day, f.agency_code, f.procedure_key, f.procedure_name, ${ROLLUP_COUNTS.map(([, aggregate]) => aggregate).join(', ')}
      from (select ${endedDossierAsFigures('x')} from dossier_indicator_facts x where x.ended_at is not null) as f
     group by 1, f.agency_code, f.procedure_key, f.procedure_name`);
  // The dossiers still in progress of a period, counted per dossier when asked (report.ts): a few among the period's many.
  await knex.raw('create index dossiers_in_progress on dossiers (submitted_at) where ended_at is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index dossiers_in_progress');
  for (const op of ['insert', 'update', 'delete']) await knex.raw(`drop trigger dossier_indicator_days_${op} on dossier_indicator_facts`);
  await knex.raw('drop function dossier_indicator_days_of_facts()');
  await knex.raw('drop function change_dossier_indicator_days(dossier_indicator_facts, dossier_indicator_facts)');
  await knex.raw('drop table dossier_indicator_days');
  await knex.raw(`alter table dossier_indicator_facts ${DOSSIER_COLUMNS.map((c) => `drop column ${c}`).join(', ')}`);
  const { createRefresh: createRefreshOf0040 } = await import('./0040_indicator_facts.ts');
  await createRefreshOf0040(knex);
}
