import { describe, expect, it } from 'vitest';
import { procedureTemplateXml } from '../../designer/src/templates/procedure-template.ts';
import { callApi, useApiOverTestDatabase } from '../support/api-server.ts';

const fixture = useApiOverTestDatabase();

describe('the one-stop procedure template on the server', () => {
  it('deploys through the API as it is, with no finding, and starts with the applicant’s submission', async () => {
    for (const [language, version] of [['vi', 1], ['en', 2]] as const) {
      const answer = await callApi(fixture.api, 'POST', '/api/definitions', procedureTemplateXml(language), 'application/xml');
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ key: 'Process_mau_mot_cua', version });
      expect(answer.body.warnings).toEqual([]);
    }
    const started = await callApi(fixture.api, 'POST', '/api/definitions/Process_mau_mot_cua/instances', { variables: {} });
    expect(started.status).toBe(201);
    const tasks = (await callApi(fixture.api, 'GET', `/api/tasks?instanceId=${started.body.id}`)).body.items;
    expect(tasks.map((task: { elementId: string; candidateGroup: string }) => `${task.elementId} ${task.candidateGroup}`)).toEqual(['Task_nop_ho_so qt:applicant']);
  });
});
