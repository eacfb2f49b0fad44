import { describe, expect, it } from 'vitest';
import { callApi, useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { peerCorpusPresent, peerModel } from '../support/peer-corpus.ts';
import { flows } from '../support/process.ts';

// A file of several executable processes deploys each as a definition of its own, keyed by its
// process id, in one transaction or not at all (server/execution/definitions.ts deployDefinition;
// docs/bpmn-coverage.md, "Files of several processes").

const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

const call = (method: string, path: string, body?: unknown, contentType?: string) => callApi(fixture.api, method, path, body, contentType);
const deploy = (xml: string) => call('POST', '/api/definitions', xml, 'application/xml');
const versionsOf = async (key: string) => (await fixture.database.db('process_definitions').where({ key }).orderBy('version').select<Array<{ version: number }>>('version')).map((row) => row.version);
const openTasks = async (instanceId: string) => (await call('GET', `/api/tasks?instanceId=${instanceId}`)).body.items.map((task: { elementId: string }) => task.elementId);

/** A file of the given processes, each `<bpmn:process>` written whole. */
const file = (...processes: string[]) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:qt="urn:quytrinh:bpmn:1.0" id="Definitions_several" targetNamespace="urn:quytrinh:test">
${processes.join('\n')}
<bpmn:message id="Message_forwarded" name="dossier.forwarded"/>
</bpmn:definitions>`;

/** An executable process: its start event (a message start when `start` says so), one user task, its end. */
const process = (id: string, task: string, start = '') => `<bpmn:process id="${id}" isExecutable="true">
  <bpmn:startEvent id="${id}_start" name="Bắt đầu">${start}</bpmn:startEvent>
  <bpmn:userTask id="${task}" name="Xử lý"/>
  <bpmn:endEvent id="${id}_end" name="Xong"/>
  ${flows(`${id}_start>${task}`, `${task}>${id}_end`)}
</bpmn:process>`;

describe('deploying a file of several executable processes', () => {
  it.skipIf(!peerCorpusPresent)('stores each as its own definition, and each starts an instance of its own process (two-executable-processes)', async () => {
    // The peer's tasks of no type pass through at once; as user tasks, each instance shows where it waits.
    const xml = peerModel('resources/bpmn-elements/two-executable-processes.bpmn').replaceAll('bpmn:task ', 'bpmn:userTask ').replaceAll('</bpmn:task>', '</bpmn:userTask>');
    const deployed = await deploy(xml);
    expect(deployed.status).toBe(201);
    // The answer of a one-process file, for the first, and every definition stored.
    expect(deployed.body).toMatchObject({ key: 'Process_1', version: 1, definitions: [{ key: 'Process_1', version: 1, created: true }, { key: 'Process_2', version: 1, created: true }] });
    expect(deployed.body.id).toBe(deployed.body.definitions[0].id);
    expect(await versionsOf('Process_1')).toEqual([1]);
    expect(await versionsOf('Process_2')).toEqual([1]);

    for (const [key, task] of [['Process_1', 'Task_1'], ['Process_2', 'Task_2']] as const) {
      const { body: started } = await call('POST', `/api/definitions/${key}/instances`, {});
      expect((await call('GET', `/api/instances/${started.id}`)).body).toMatchObject({ definitionKey: key, version: 1, status: 'active' });
      expect(await openTasks(started.id)).toEqual([task]);
      const [open] = (await call('GET', `/api/tasks?instanceId=${started.id}`)).body.items;
      expect((await call('POST', `/api/tasks/${open.id}/complete`, {})).status).toBe(200);
      expect((await call('GET', `/api/instances/${started.id}`)).body.status).toBe('completed');
    }

    // Deployed again unchanged: nothing new, the same definitions.
    const again = await deploy(xml);
    expect(again.status).toBe(200);
    expect(again.body.definitions).toEqual(deployed.body.definitions.map((definition: object) => ({ ...definition, created: false })));
    expect(await versionsOf('Process_1')).toEqual([1]);
    expect(await versionsOf('Process_2')).toEqual([1]);
  });

  it('versions every process of a changed file, and answers a file of one process as it always has', async () => {
    const xml = file(process('Process_intake', 'intake'), process('Process_archive', 'archive'));
    expect((await deploy(xml)).status).toBe(201);
    const changed = await deploy(xml.replace('id="archive" name="Xử lý"', 'id="archive" name="Lưu trữ"'));
    expect(changed.body.definitions).toMatchObject([{ key: 'Process_intake', version: 2, created: true }, { key: 'Process_archive', version: 2, created: true }]);
    const single = await deploy(file(process('Process_single', 'only')));
    expect(single.status).toBe(201);
    expect(Object.keys(single.body).sort()).toEqual(['id', 'key', 'version', 'warnings']);
  });

  it('starts on a message only the process whose start event waits for it, though both are stored in one file', async () => {
    const xml = file(process('Process_desk', 'desk'), process('Process_forwarded', 'receiveForwarded', '<bpmn:messageEventDefinition messageRef="Message_forwarded"/>'));
    expect((await deploy(xml)).status).toBe(201);
    expect((await call('POST', '/api/messages', { name: 'dossier.forwarded', messageId: 'several-1' })).body).toMatchObject({ correlated: 1 });
    const instances = await fixture.database.db('process_instances as i').join('process_definitions as d', 'd.id', 'i.definition_id').whereIn('d.key', ['Process_desk', 'Process_forwarded']).select<Array<{ id: string; key: string }>>('i.id', 'd.key');
    expect(instances.map((instance) => instance.key)).toEqual(['Process_forwarded']);
    expect(await openTasks(instances[0]!.id)).toEqual(['receiveForwarded']);
  });

  it('stores nothing when one process is refused, and names its element and the process', async () => {
    const broken = process('Process_broken', 'ok').replace('<bpmn:userTask id="ok" name="Xử lý"/>', '<bpmn:userTask id="ok" name="Xử lý"/><bpmn:complexGateway id="complex"/>').replace('sourceRef="ok" targetRef="Process_broken_end"', 'sourceRef="ok" targetRef="complex"/><bpmn:sequenceFlow id="complex_end" sourceRef="complex" targetRef="Process_broken_end"');
    const refused = await deploy(file(process('Process_fine', 'fine'), broken));
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('definition.processes-refused');
    expect(refused.body.messages.en).toBe("1 of the model's 2 processes cannot be deployed; none is deployed");
    // The refused process first, then its own refusal's elements; the process that compiles is not named.
    const named = refused.body.errors.map((error: { elementId: string }) => error.elementId);
    expect(named[0]).toBe('Process_broken');
    expect(named).toContain('complex');
    expect(named.filter((id: string) => id.startsWith('Process_fine') || id === 'fine')).toEqual([]);
    expect(refused.body.errors[0].message).toContain('bpmn.not-executable');
    expect(await versionsOf('Process_fine')).toEqual([]);
    expect(await versionsOf('Process_broken')).toEqual([]);
  });

  it('refuses a process without an id, by which it would be stored and found again, and stores nothing', async () => {
    const before = await fixture.database.db('process_definitions').count<Array<{ count: string }>>('* as count');
    const refused = await deploy(file(process('Process_fine', 'fine'), process('Process_anonymous', 'anonymous').replace('<bpmn:process id="Process_anonymous"', '<bpmn:process')));
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('bpmn.process-id-required');
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'process.id' })]);
    expect(await fixture.database.db('process_definitions').count<Array<{ count: string }>>('* as count')).toEqual(before);
  });
});

describe('deploying a saved model of several executable processes', () => {
  it('deploys each process, records the first, and lists them all', async () => {
    const xml = file(process('Process_model_a', 'modelA'), process('Process_model_b', 'modelB'));
    const model = await call('POST', '/api/models', { name: 'Hai quy trình', stage: 'to-be', xml });
    expect(model.status).toBe(201);
    const deployed = await call('POST', `/api/models/${model.body.id}/deployments`, { version: 1 });
    expect(deployed.status).toBe(201);
    expect(deployed.body).toMatchObject({ definitionKey: 'Process_model_a', definitionVersion: 1, created: true, definitions: [{ key: 'Process_model_a', version: 1 }, { key: 'Process_model_b', version: 1 }] });
    expect(await versionsOf('Process_model_b')).toEqual([1]);
  });
});
