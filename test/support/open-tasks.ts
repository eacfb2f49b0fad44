import type { Database } from '../../server/db/connect.ts';

/**
 * Fills a migrated database with `count` open user tasks straight in SQL (a real deployment and
 * 6,000 completions through the engine would take minutes): one definition, ten tasks per instance,
 * candidate groups, due dates (some equal, some missing) and creation times spread so that every
 * part of the list order is exercised. Returns the definition key.
 */
export async function seedOpenTasks(db: Database, count: number, key = 'Process_seeded'): Promise<string> {
  const [definition] = await db('process_definitions')
    .insert({ key, version: 1, name: key, xml: '<definitions/>', checksum: key })
    .returning<Array<{ id: string }>>('id');
  const instances = Math.ceil(count / 10);
  await db.raw(
    `insert into process_instances (definition_id, business_key, status, snapshot)
     select ?, 'HS-' || n, 'active', '{}'::jsonb from generate_series(1, ?) as n`,
    [definition!.id, instances],
  );
  await db.raw(
    `insert into user_tasks (instance_id, element_id, name, candidate_group, due_at, status, created_at)
     select i.id, 'step' || s, 'Bước ' || s,
            (array['Bộ phận một cửa', 'Phòng Tư pháp', 'UBND xã'])[1 + (row_number() over () % 3)],
            case when s = 10 then null else timestamptz '2027-01-04 08:00+07' + ((row_number() over ()) % 40) * interval '1 hour' end,
            'open',
            timestamptz '2026-12-01 08:00+07' + ((row_number() over ()) % 500) * interval '1 second'
       from (select id from process_instances where definition_id = ? order by business_key) as i
       cross join generate_series(1, 10) as s
      limit ?`,
    [definition!.id, count],
  );
  return key;
}
