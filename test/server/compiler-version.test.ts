import { describe, expect, it } from 'vitest';
import { COMPILER_VERSION } from '../../engine/compile/index.ts';
import type { StoredSnapshot } from '../../engine/runtime/instance.ts';
import { compiledDefinitions, upgradeSnapshots } from '../../server/execution/definitions.ts';
import { callApi, useApiOverTestDatabase } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';
import { countKept, withoutCount } from '../support/snapshot-versions.ts';

const fixture = useApiOverTestDatabase();
const call = (method: string, path: string, body?: unknown, type?: string) => callApi(fixture.api, method, path, body, type);

const consult = (key: string) => bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="answer"><bpmn:multiInstanceLoopCharacteristics qt:collection="agencies" qt:elementVariable="agency"/></bpmn:userTask>
  <bpmn:userTask id="decide"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>answer', 'answer>decide', 'decide>end')}`, { id: key });

const agencies = ['Sở Xây dựng', 'Sở Tài chính'];

/** Deploys the model and starts one instance of it; the definition's id and the instance's. */
async function deployAndStart(key: string): Promise<{ definitionId: string; instanceId: string }> {
  const deployed = await call('POST', '/api/definitions', consult(key), 'application/xml');
  expect(deployed.status).toBe(201);
  const started = await call('POST', `/api/definitions/${key}/instances`, { variables: { agencies } });
  expect(started.status).toBe(201);
  return { definitionId: deployed.body.id as string, instanceId: started.body.id as string };
}

const openTasks = (instanceId: string) => fixture.database.db('user_tasks').where({ instance_id: instanceId, status: 'open' }).orderBy('multi_index').select<Array<{ id: string; element_id: string }>>('id', 'element_id');
const instanceRow = (instanceId: string) => fixture.database.db('process_instances').where({ id: instanceId }).first<{ snapshot: StoredSnapshot; revision: number; status: string }>('snapshot', 'revision', 'status');

/** As a release before this one would have stored it: the definition at `version`, the snapshot in version 0's shape. */
async function storedBy(definitionId: string, instanceId: string, version: number): Promise<void> {
  const { db } = fixture.database;
  const { snapshot } = await instanceRow(instanceId);
  await db('process_instances').where({ id: instanceId }).update({ snapshot: JSON.stringify(withoutCount(snapshot, 'answer', agencies)) });
  await db('process_definitions').where({ id: definitionId }).update({ compiler_version: version });
  compiledDefinitions.clear(); // as after the upgrade's restart
}

describe('compiler versions of deployed definitions', () => {
  it('records the compiler version on each deployment', async () => {
    const { definitionId } = await deployAndStart('Process_version_recorded');
    expect(await fixture.database.db('process_definitions').where({ id: definitionId }).first('compiler_version')).toEqual({ compiler_version: COMPILER_VERSION });
  });

  it('refuses to run a definition a newer compiler compiled, with a typed problem and nothing changed', async () => {
    const { definitionId, instanceId } = await deployAndStart('Process_version_newer');
    await fixture.database.db('process_definitions').where({ id: definitionId }).update({ compiler_version: COMPILER_VERSION + 1 });
    compiledDefinitions.clear();
    const before = await instanceRow(instanceId);
    const [task] = await openTasks(instanceId);
    const refused = await call('POST', `/api/tasks/${task!.id}/complete`, {});
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'definition.compiler-newer' });
    expect(await instanceRow(instanceId)).toEqual(before);
    expect(await openTasks(instanceId)).toHaveLength(2);
    expect((await call('POST', '/api/definitions/Process_version_newer/instances', { variables: { agencies } })).body).toMatchObject({ code: 'definition.compiler-newer' });
  });

  it('refuses an older version when no migration leads on from it (the shipped registry has none for 0)', async () => {
    const { definitionId, instanceId } = await deployAndStart('Process_version_unknown');
    await storedBy(definitionId, instanceId, 0);
    const [task] = await openTasks(instanceId);
    const refused = await call('POST', `/api/tasks/${task!.id}/complete`, {});
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'definition.compiler-unknown' });
    expect(await fixture.database.db('process_definitions').where({ id: definitionId }).first('compiler_version')).toEqual({ compiler_version: 0 });
  });

  it('migrates the snapshots of an older version once, records the current version, and the instance finishes', async () => {
    const { definitionId, instanceId } = await deployAndStart('Process_version_migrated');
    await storedBy(definitionId, instanceId, 0);
    const before = await instanceRow(instanceId);
    expect((before.snapshot.context as { multi: Record<string, object> }).multi.answer).not.toHaveProperty('count');

    expect(await upgradeSnapshots(fixture.database.db, definitionId, countKept)).toBe(1);
    expect(await upgradeSnapshots(fixture.database.db, definitionId, countKept)).toBe(0); // once only
    const after = await instanceRow(instanceId);
    expect((after.snapshot.context as { multi: Record<string, object> }).multi.answer).toMatchObject({ count: 2 });
    expect(after.revision).toBe(before.revision + 1);
    expect(await fixture.database.db('process_definitions').where({ id: definitionId }).first('compiler_version')).toEqual({ compiler_version: COMPILER_VERSION });

    for (;;) {
      const [task] = await openTasks(instanceId);
      if (!task) break;
      expect((await call('POST', `/api/tasks/${task.id}/complete`, {})).status).toBe(200);
    }
    expect((await instanceRow(instanceId)).status).toBe('completed');
  });
});
