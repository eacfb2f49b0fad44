import type { Knex } from 'knex';
import { beforeAll, describe, expect, it } from 'vitest';
import { callApi, useApiOverTestDatabase } from '../support/api-server.ts';
import { seedOpenTasks } from '../support/open-tasks.ts';

const fixture = useApiOverTestDatabase();
const get = async (path: string) => callApi(fixture.api, 'GET', path);
const db = () => fixture.database.db;

interface TaskJson {
  id: string;
  instanceId: string;
  candidateGroup: string;
  status: string;
  dueAt: string | null;
}
interface PageJson<Item> {
  items: Item[];
  next: string | null;
  total?: number;
}

/** Every page of a list, following `next` from the first: the pages as they came. */
async function allPages<Item>(path: string): Promise<Array<PageJson<Item>>> {
  const pages: Array<PageJson<Item>> = [];
  let next: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const response = await get(next === null ? path : `${path}${separator}cursor=${next}`);
    expect(response.status).toBe(200);
    pages.push(response.body as PageJson<Item>);
    next = (response.body as PageJson<Item>).next;
  } while (next !== null);
  return pages;
}

/** The list order, written out independently in SQL: soonest due first, no due date last, then creation, then id. */
async function openTaskIdsInOrder(where: (query: Knex.QueryBuilder) => void = () => undefined): Promise<string[]> {
  const query = db()('user_tasks').where({ status: 'open' }).select('id').orderByRaw('due_at asc nulls last, created_at, id');
  where(query);
  return (await query).map((row: { id: string }) => row.id);
}

/** A task row ready to insert, for an instance of the seeded definition. */
async function newTaskRows(count: number, tag: string): Promise<Array<Record<string, unknown>>> {
  const instances = (await db()('process_instances').select('id').limit(count)) as Array<{ id: string }>;
  return instances.map((instance, index) => ({
    instance_id: instance.id,
    element_id: `${tag}${index}`,
    name: tag,
    candidate_group: 'Bộ phận một cửa',
    // Spread over the whole order, before and after wherever the reader is.
    due_at: index % 5 === 0 ? null : new Date(Date.UTC(2027, 0, 4, index % 40)),
    status: 'open',
  }));
}

let seededKey: string;
let otherKey: string;

beforeAll(async () => {
  seededKey = await seedOpenTasks(db(), 6_000);
  otherKey = await seedOpenTasks(db(), 40, 'Process_other');
  await db().raw('analyze');
});

describe('GET /api/tasks pages', () => {
  it('gives every one of 6,000 open tasks exactly once, in the list order, 500 a page', async () => {
    const pages = await allPages<TaskJson>('/api/tasks?limit=500');
    const ids = pages.flatMap((page) => page.items.map((task) => task.id));
    expect(pages).toHaveLength(13); // 6,040 tasks
    expect(pages.slice(0, -1).every((page) => page.items.length === 500)).toBe(true);
    expect(pages[0]!.total).toBe(6_040);
    expect(pages.slice(1).every((page) => page.total === undefined)).toBe(true);
    expect(ids).toEqual(await openTaskIdsInOrder());
  });

  it('answers 50 tasks and a cursor without a limit', async () => {
    const { body } = await get('/api/tasks');
    expect(body.items).toHaveLength(50);
    expect(body.next).toMatch(/^[\w-]+$/);
    expect(body.items[0]).toMatchObject({ status: 'open', candidateGroup: expect.any(String) });
  });

  it('neither repeats nor skips an existing task while tasks are added in between pages and during them', async () => {
    const existing = await openTaskIdsInOrder();
    const batches = await Promise.all(Array.from({ length: 26 }, (_, batch) => newTaskRows(30, `added${batch}_`)));
    const addBatch = async () => {
      const rows = batches.shift();
      if (rows) await db()('user_tasks').insert(rows);
    };
    const seen: string[] = [];
    let next: string | null = null;
    do {
      // One batch lands between the last page and this one, another while this one is read.
      await addBatch();
      const [response] = await Promise.all([get(`/api/tasks?limit=500${next ? `&cursor=${next}` : ''}`), addBatch()]);
      const page = response.body as PageJson<TaskJson>;
      seen.push(...page.items.map((task) => task.id));
      next = page.next;
    } while (next !== null);
    expect(batches).toEqual([]);
    expect(new Set(seen).size).toBe(seen.length);
    const seenSet = new Set(seen);
    expect(existing.filter((id) => !seenSet.has(id))).toEqual([]);
    // What was seen is in the list order, added tasks included.
    const order = await openTaskIdsInOrder();
    const position = new Map(order.map((id, index) => [id, index]));
    expect(seen.every((id, index) => index === 0 || position.get(id)! > position.get(seen[index - 1]!)!)).toBe(true);
    await db()('user_tasks').where('name', 'like', 'added%').delete();
  });

  it('combines the filters, each page and the total counting only what matches', async () => {
    const [instance] = await db()('process_instances as i').join('process_definitions as d', 'd.id', 'i.definition_id').where('d.key', seededKey).orderBy('i.business_key').select<Array<{ id: string }>>('i.id');
    const dueBefore = '2027-01-05T00:00:00+07:00';
    const group = 'Phòng Tư pháp';
    const expected = await openTaskIdsInOrder((query) => void query.where({ candidate_group: group }).where('due_at', '<', dueBefore).whereIn('instance_id', db()('process_instances as i').join('process_definitions as d', 'd.id', 'i.definition_id').where('d.key', seededKey).select('i.id')));
    expect(expected.length).toBeGreaterThan(100);
    const pages = await allPages<TaskJson>(`/api/tasks?limit=100&candidateGroup=${encodeURIComponent(group)}&dueBefore=${encodeURIComponent(dueBefore)}&definitionKey=${seededKey}`);
    expect(pages[0]!.total).toBe(expected.length);
    expect(pages.flatMap((page) => page.items.map((task) => task.id))).toEqual(expected);
    expect(pages.flatMap((page) => page.items).every((task) => task.candidateGroup === group && task.dueAt !== null && Date.parse(task.dueAt) < Date.parse(dueBefore))).toBe(true);

    const other = await get(`/api/tasks?definitionKey=${otherKey}&limit=500`);
    expect(other.body.total).toBe(40);
    const ofInstance = await get(`/api/tasks?instanceId=${instance!.id}&candidateGroup=${encodeURIComponent(group)}`);
    expect(ofInstance.body.items.length).toBeGreaterThan(0);
    expect(ofInstance.body.items.every((task: TaskJson) => task.instanceId === instance!.id && task.candidateGroup === group)).toBe(true);
    expect(ofInstance.body.total).toBe(ofInstance.body.items.length);

    const [done] = await db()('user_tasks').where({ instance_id: instance!.id, element_id: 'step1' }).update({ status: 'completed', ended_at: db().fn.now() }, ['id']);
    const completed = await get(`/api/tasks?status=completed&instanceId=${instance!.id}`);
    expect(completed.body).toEqual({ items: [expect.objectContaining({ id: done!.id, status: 'completed' })], next: null, total: 1 });
    expect((await get(`/api/tasks?instanceId=${instance!.id}&limit=500`)).body.items.map((task: TaskJson) => task.id)).not.toContain(done!.id);
  });

  it('reads a page through the index of the list order, not a sort of every open task', async () => {
    const captured: Array<{ sql: string; bindings: unknown[] }> = [];
    const capture = (query: { sql: string; bindings: unknown[] }) => {
      if (query.sql.includes('from "user_tasks"') && query.sql.includes('limit')) captured.push(query);
    };
    db().on('query', capture);
    const first = await get('/api/tasks?limit=50');
    await get(`/api/tasks?limit=50&cursor=${first.body.next as string}`);
    await get(`/api/tasks?limit=50&candidateGroup=${encodeURIComponent('UBND xã')}&cursor=${first.body.next as string}`);
    db().off('query', capture);
    expect(captured).toHaveLength(3);
    for (const { sql, bindings } of captured) {
      // The query event shows PostgreSQL's numbered parameters, in order; knex's raw takes `?`.
      const plan = JSON.stringify((await db().raw(`explain (format json) ${sql.replace(/\$\d+/g, '?')}`, bindings as never[])).rows);
      expect(plan).toMatch(/"Index Name":"user_tasks_list(_by_group)?"/);
      expect(plan).not.toContain('"Node Type":"Sort"');
    }
  });
});

describe('bad page requests', () => {
  const cursorOf = async (path: string) => (await get(path)).body.next as string;

  it.each([
    ['a limit above 500', '/api/tasks?limit=501', 'query.limit'],
    ['a limit of 0', '/api/tasks?limit=0', 'query.limit'],
    ['a limit that is not a number', '/api/tasks?limit=lots', 'query.limit'],
    ['a cursor that is not one', '/api/tasks?cursor=not-a-cursor', 'query.cursor'],
    ['an empty cursor', '/api/tasks?cursor=', 'query.cursor'],
  ])('refuses %s with 400 problem+json naming the field', async (_case, path, field) => {
    const response = await get(path);
    expect(response.status).toBe(400);
    expect(response.type).toContain('application/problem+json');
    expect(response.body.errors).toEqual([expect.objectContaining({ field })]);
  });

  it('refuses a tampered cursor and one of another list, naming query.cursor', async () => {
    const genuine = await cursorOf('/api/tasks?limit=1');
    const decoded = JSON.parse(Buffer.from(genuine, 'base64url').toString('utf8')) as { order: string; after: unknown[] };
    const tampered = [
      { ...decoded, after: [decoded.after[0], decoded.after[1], "x' or 1=1 --"] },
      { ...decoded, after: ['yesterday', ...decoded.after.slice(1)] },
      { ...decoded, after: decoded.after.slice(1) },
      { ...decoded, order: 'jobs' },
    ].map((value) => Buffer.from(JSON.stringify(value)).toString('base64url'));
    const ofInstances = await cursorOf('/api/instances?limit=1');
    for (const cursor of [...tampered, ofInstances, `${genuine.slice(0, -3)}`]) {
      const response = await get(`/api/tasks?cursor=${cursor}`);
      expect(response.status, cursor).toBe(400);
      expect(response.body).toMatchObject({ code: 'request.invalid-cursor', errors: [{ field: 'query.cursor' }] });
    }
    expect((await get(`/api/tasks?cursor=${genuine}`)).status).toBe(200);
  });
});

describe('every list answers {items, next, total}', () => {
  beforeAll(async () => {
    const [instance] = (await db()('process_instances').select('id', 'definition_id').limit(1)) as Array<{ id: string; definition_id: string }>;
    await db()('process_instances').insert([0, 1, 2].map((index) => ({ definition_id: instance!.definition_id, status: 'active', snapshot: {}, parent_instance_id: instance!.id, parent_element_id: 'consult', parent_multi_index: 2 - index })));
    await db()('instance_history').insert([1, 2, 3].map((n) => ({ instance_id: instance!.id, event_id: `e${n}`, event_type: 'task', status_after: 'active', active_after: [] })));
    const [job] = await db()('service_jobs').insert([1, 2].map((n) => ({ instance_id: instance!.id, element_id: `sync${n}`, job_type: 'portal.sync', handler: 'external', status: 'open' })), ['id']);
    await db()('incidents').insert([1, 2].map((n) => ({ instance_id: instance!.id, element_id: 'sync1', service_job_id: job!.id, message: `portal down (${n})` })));
    await db()('process_definitions').insert([2, 3].map((version) => ({ key: 'Process_other', version, xml: '<definitions/>', checksum: `other${version}` })));
    await db()('agency_calendars').insert(['Phòng Tư pháp', 'UBND xã'].map((agency) => ({ agency, office_hours: JSON.stringify([{ start: '07:30', end: '11:30' }]), working_weekdays: [1, 2, 3, 4, 5] })));
    for (const name of ['Đăng ký khai sinh', 'Đăng ký kết hôn', 'Cấp phiếu lý lịch tư pháp']) {
      const created = await callApi(fixture.api, 'POST', '/api/models', { name, stage: 'as-is', xml: '<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t"><bpmn:process id="p"/></bpmn:definitions>' });
      expect(created.status).toBe(201);
    }
  });

  const caller = async () => ((await db()('process_instances').whereNotNull('parent_instance_id').first()) as { parent_instance_id: string }).parent_instance_id;

  it.each([
    ['/api/tasks?definitionKey=Process_other&limit=15'],
    ['/api/jobs?limit=1'],
    ['/api/jobs?type=portal.sync&limit=1'],
    ['/api/incidents?limit=1'],
    ['/api/instances?limit=100'],
    ['/api/instances?status=active&definitionKey=Process_other&limit=3'],
    ['/api/instances?businessKey=HS-1&limit=1'],
    ['/api/models?limit=1'],
    ['/api/calendars?limit=1'],
    ['/api/catalogue?limit=1'],
    ['/api/catalogue/summary?limit=5'],
    ['/api/definitions?limit=1'],
  ])('%s', async (path) => {
    const limit = Number(new URL(path, fixture.api.url).searchParams.get('limit'));
    const pages = await allPages<{ id?: string; agency?: string }>(path);
    const first = pages[0]!;
    expect(first.total).toBeGreaterThan(limit);
    expect(first.items).toHaveLength(limit);
    const items = pages.flatMap((page) => page.items);
    expect(items).toHaveLength(first.total!);
    expect(new Set(items.map((item) => item.id ?? item.agency)).size).toBe(items.length);
    expect(pages.at(-1)!.next).toBeNull();
  });

  it('lists the runs of a caller in item order, and its history in the order it happened', async () => {
    const runs = await allPages<{ callerIndex: number }>(`/api/instances?callerInstanceId=${await caller()}&limit=2`);
    expect(runs.flatMap((page) => page.items.map((run) => run.callerIndex))).toEqual([0, 1, 2]);
    const history = await allPages<{ eventId: string }>(`/api/instances/${await caller()}/history?limit=2`);
    expect(history.flatMap((page) => page.items.map((entry) => entry.eventId))).toEqual(['e1', 'e2', 'e3']);
  });

  it('lists definitions by key, newest version first, across pages', async () => {
    const pages = await allPages<{ key: string; version: number }>('/api/definitions?limit=1');
    expect(pages.flatMap((page) => page.items.map((definition) => `${definition.key} v${definition.version}`))).toEqual(['Process_other v3', 'Process_other v2', 'Process_other v1', 'Process_seeded v1']);
  });

  it('lists models last saved first, and finds them by part of their name in any case', async () => {
    const all = await allPages<{ name: string }>('/api/models?limit=2');
    expect(all.flatMap((page) => page.items.map((model) => model.name))).toEqual(['Cấp phiếu lý lịch tư pháp', 'Đăng ký kết hôn', 'Đăng ký khai sinh']);
    const found = await get(`/api/models?search=${encodeURIComponent('ĐĂNG KÝ')}`);
    expect(found.body).toMatchObject({ total: 2, next: null });
    expect((await get('/api/models?search=%25')).body.total).toBe(0); // a % is searched for, not a wildcard
    const [model] = found.body.items as Array<{ id: string }>;
    expect((await get(`/api/models/${model!.id}/versions`)).body).toMatchObject({ items: [{ version: 1 }], next: null, total: 1 });
  });
});
