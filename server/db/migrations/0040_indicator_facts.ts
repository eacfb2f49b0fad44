import type { Knex } from 'knex';
import { STORED_FACTS } from '../../indicators/groups.ts';

/**
 * Issue 14, the indicators at scale (docs/indicators.md, "Speed"): the facts of each dossier the
 * indicators count (server/indicators/*: its notices, its receipt check, a late step, its
 * payments, its rating, its digitizations and results), kept in one row per dossier,
 * `dossier_indicator_facts`, so that a period's figures read one row per dossier instead of a dozen
 * look-ups in six tables. The row is computed by the very SQL of the groups' facts (STORED_FACTS)
 * and recomputed by triggers, in the writing transaction, whenever a row those facts read is
 * written: the dossier itself, its notices, its steps (`user_tasks` of its instance), payment
 * transactions, rating, digitizations, results and their signed documents. So the figures stay
 * exactly those of the look-ups, whatever path wrote (the engine's locked step, the batched task
 * completions, a worker, an operator). Facts that depend on the moment asked (an open step past
 * its deadline now) are not stored: the report reads them live, for the dossiers still in progress.
 *
 * The function is built from the groups' facts as they are at migration time: a change to a stored
 * fact needs a migration that calls `createRefresh` again (test/server/indicator-facts.test.ts
 * compares the function with the groups' facts).
 */
/** The tables the stored facts read beside `dossiers`, with the dossier a row (`ROW`) counts in. */
const TABLES: ReadonlyArray<[table: string, dossierOf: string]> = [
  ['notices', 'ROW.dossier_id'],
  ['payment_transactions', 'ROW.dossier_id'],
  ['dossier_ratings', 'ROW.dossier_id'],
  ['digitizations', 'ROW.dossier_id'],
  ['dossier_results', 'ROW.dossier_id'],
  ['result_documents', '(select x.dossier_id from dossier_results x where x.id = ROW.result_id)'],
  ['user_tasks', '(select d.id from dossiers d where d.instance_id = ROW.instance_id)'],
];

export async function createRefresh(knex: Knex): Promise<void> {
  const columns = STORED_FACTS.map(([name]) => name);
  // The row is locked before it is computed, and the computation is a statement of its own (a
  // fresh snapshot): a transaction that wrote another fact of the same dossier meanwhile has
  // committed by then and is counted, so two writers at once cannot leave the facts of only one.
  await knex.raw(`
    create or replace function refresh_dossier_indicator_facts(dossier uuid) returns void language plpgsql as $$
    begin
      perform 1 from dossier_indicator_facts where dossier_id = dossier for update;
      insert into dossier_indicator_facts (dossier_id, ${columns.join(', ')})
      select d.id, ${STORED_FACTS.map(([, sql]) => sql).join(', ')}
        from dossiers d
       where d.id = dossier
      on conflict (dossier_id) do update set ${columns.map((c) => `${c} = excluded.${c}`).join(', ')};
    end $$`);
}

export async function up(knex: Knex): Promise<void> {
  // The columns take the facts' own types: a table made from the facts' query, without its rows.
  await knex.raw(`create table dossier_indicator_facts as
    select d.id as dossier_id, ${STORED_FACTS.map(([name, sql]) => `${sql} as ${name}`).join(', ')} from dossiers d with no data`);
  await knex.raw('alter table dossier_indicator_facts add primary key (dossier_id), add foreign key (dossier_id) references dossiers (id) on delete cascade');
  await createRefresh(knex);
  await knex.raw(`create function dossier_indicator_facts_of_dossier() returns trigger language plpgsql as $$
    begin perform refresh_dossier_indicator_facts(new.id); return null; end $$`);
  await knex.raw(`create trigger dossiers_indicator_facts after insert or update on dossiers
    for each row execute function dossier_indicator_facts_of_dossier()`);
  for (const [table, dossierOf] of TABLES) {
    // The old row's dossier too, when it differs: a row moved or deleted changes the facts it counted in.
    const of = (row: string) => dossierOf.replaceAll('ROW.', `${row}.`);
    await knex.raw(`create function ${table}_indicator_facts() returns trigger language plpgsql as $$
      declare before uuid; after uuid;
      begin
        if tg_op <> 'INSERT' then before := ${of('old')}; end if;
        if tg_op <> 'DELETE' then after := ${of('new')}; end if;
        if after is not null then perform refresh_dossier_indicator_facts(after); end if;
        if before is not null and before is distinct from after then perform refresh_dossier_indicator_facts(before); end if;
        return null;
      end $$`);
    await knex.raw(`create trigger ${table}_indicator_facts after insert or update or delete on ${table}
      for each row execute function ${table}_indicator_facts()`);
  }
  await knex.raw(`insert into dossier_indicator_facts (dossier_id, ${STORED_FACTS.map(([name]) => name).join(', ')})
    select d.id, ${STORED_FACTS.map(([, sql]) => sql).join(', ')} from dossiers d`);
}

export async function down(knex: Knex): Promise<void> {
  for (const [table] of TABLES) {
    await knex.raw(`drop trigger ${table}_indicator_facts on ${table}`);
    await knex.raw(`drop function ${table}_indicator_facts()`);
  }
  await knex.raw('drop trigger dossiers_indicator_facts on dossiers');
  await knex.raw('drop function dossier_indicator_facts_of_dossier()');
  await knex.raw('drop function refresh_dossier_indicator_facts(uuid)');
  await knex.raw('drop table dossier_indicator_facts');
}
