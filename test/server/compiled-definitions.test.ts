import { describe, expect, it } from 'vitest';
import { compiledDefinitions } from '../../server/execution/definitions.ts';
import { CompiledCache } from '../../server/execution/compiled-cache.ts';
import { callApi, useApiOverTestDatabase } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';

const fixture = useApiOverTestDatabase();
const call = (method: string, path: string, body?: unknown, type?: string) => callApi(fixture.api, method, path, body, type);
const deploy = async (xml: string): Promise<string> => {
  const response = await call('POST', '/api/definitions', xml, 'application/xml');
  expect(response.status).toBe(201);
  return response.body.id as string;
};

const waitsForPayment = (id: string) =>
  bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="Message_paid"/></bpmn:intermediateCatchEvent>
    <bpmn:userTask id="issue"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>paid', 'paid>issue', 'issue>end')}
  `, { id, outside: '<bpmn:message id="Message_paid" name="fee.paid"/>' });

describe('compiled definitions', () => {
  it('after a restart, a message compiles only the definition of the instance waiting for it', async () => {
    const waiting = await deploy(waitsForPayment('Process_waiting'));
    // Mentions the message but has no instance; starts on another message; mentions nothing.
    const idle = await deploy(waitsForPayment('Process_idle'));
    const startsOnOther = await deploy(bpmnProcess(`
      <bpmn:startEvent id="submitted"><bpmn:messageEventDefinition messageRef="Message_submitted"/></bpmn:startEvent>
      <bpmn:userTask id="receive"/>
      <bpmn:endEvent id="end"/>
      ${flows('submitted>receive', 'receive>end')}
    `, { id: 'Process_other_start', outside: '<bpmn:message id="Message_submitted" name="dossier.submitted"/>' }));
    const unrelated = await deploy(bpmnProcess(`<bpmn:startEvent id="s"/><bpmn:userTask id="t"/><bpmn:endEvent id="e"/>${flows('s>t', 't>e')}`, { id: 'Process_unrelated' }));
    const started = await call('POST', '/api/definitions/Process_waiting/instances', {});
    expect(started.status).toBe(201);

    compiledDefinitions.clear(); // as after a restart
    const correlated = await call('POST', '/api/messages', { name: 'fee.paid' });
    expect(correlated.body).toEqual({ correlated: 1 });
    expect((await call('GET', `/api/instances/${started.body.id}`)).body).toMatchObject({ activeElementIds: ['issue'] });
    expect(compiledDefinitions.keys()).toEqual([waiting]);
    for (const other of [idle, startsOnOther, unrelated]) expect(compiledDefinitions.keys()).not.toContain(other);

    // A message start compiles the definition it starts, and only that one.
    compiledDefinitions.clear();
    expect((await call('POST', '/api/messages', { name: 'dossier.submitted' })).body).toEqual({ correlated: 1 });
    expect(compiledDefinitions.keys()).toEqual([startsOnOther]);
  });

  it('a message whose name XML would escape still starts its process', async () => {
    const id = await deploy(bpmnProcess(`
      <bpmn:startEvent id="requested"><bpmn:messageEventDefinition messageRef="Message_odd"/></bpmn:startEvent>
      <bpmn:userTask id="receive"/>
      <bpmn:endEvent id="end"/>
      ${flows('requested>receive', 'receive>end')}
    `, { id: 'Process_odd_name', outside: '<bpmn:message id="Message_odd" name="h&#7891; s&#417; &amp; &quot;ph&#237;&quot;"/>' }));
    compiledDefinitions.clear();
    expect((await call('POST', '/api/messages', { name: 'hồ sơ & "phí"' })).body).toEqual({ correlated: 1 });
    expect(compiledDefinitions.keys()).toEqual([id]);
  });
});

describe('the compiled-definition cache', () => {
  const weighOne = () => 1;

  it('drops the least recently used entry beyond its number of entries', async () => {
    const cache = new CompiledCache<string>({ entries: 2, weight: 100 });
    cache.set('a', Promise.resolve('A'), weighOne);
    cache.set('b', Promise.resolve('B'), weighOne);
    await cache.get('a'); // now the most recent
    cache.set('c', Promise.resolve('C'), weighOne);
    expect(cache.keys()).toEqual(['a', 'c']);
  });

  it('drops entries beyond its weight, but never the one just added', async () => {
    const cache = new CompiledCache<number>({ entries: 10, weight: 100 });
    for (const [key, nodes] of [['small', 10], ['medium', 50]] as const) {
      cache.set(key, Promise.resolve(nodes), (value) => value);
      await cache.get(key);
    }
    cache.set('huge', Promise.resolve(80_000), (value) => value);
    await cache.get('huge');
    expect(cache.keys()).toEqual(['huge']);
    cache.set('small', Promise.resolve(10), (value) => value);
    await cache.get('small');
    expect(cache.keys()).toEqual(['small']);
  });

  it('forgets a value that failed, so that the next use tries again', async () => {
    const cache = new CompiledCache<string>({ entries: 10, weight: 100 });
    const failed = Promise.reject(new Error('database down'));
    cache.set('a', failed, weighOne);
    await expect(failed).rejects.toThrow('database down');
    expect(cache.keys()).toEqual([]);
  });
});
