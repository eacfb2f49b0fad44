import { describe, expect, it } from 'vitest';
import { readProcess } from '../../../engine/bpmn/read-process.ts';
import { APPLICANT_CANDIDATE_GROUP } from '../../../engine/compile/index.ts';
import { isQuyTrinhError } from '../../../engine/errors.ts';
import { bpmnProcess, flows, refusal, run } from '../../support/process.ts';

const lanes = (applicant: string) => `
  <bpmn:laneSet id="lanes">
    <bpmn:lane id="Lane_applicant" name="Người yêu cầu" ${applicant}>
      <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>submit</bpmn:flowNodeRef><bpmn:flowNodeRef>amend</bpmn:flowNodeRef>
    </bpmn:lane>
    <bpmn:lane id="Lane_one_stop" name="Bộ phận một cửa"><bpmn:flowNodeRef>receive</bpmn:flowNodeRef></bpmn:lane>
  </bpmn:laneSet>`;

const dossier = (applicant = 'qt:applicant="true"', receipt = 'qt:dossierStep="receipt"', form = 'to-khai') => bpmnProcess(`
  ${lanes(applicant)}
  <bpmn:startEvent id="start" qt:form="${form}"/>
  <bpmn:userTask id="submit" name="Nộp hồ sơ" qt:form="${form}"/>
  <bpmn:userTask id="receive" name="Tiếp nhận" ${receipt}/>
  <bpmn:exclusiveGateway id="amendment" default="toEnd"/>
  <bpmn:userTask id="amend" name="Bổ sung" qt:form="${form}"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>submit', 'submit>receive', 'receive>amendment', 'amend>receive')}
  <bpmn:sequenceFlow id="toAmend" sourceRef="amendment" targetRef="amend"><bpmn:conditionExpression>= canBoSung = true</bpmn:conditionExpression></bpmn:sequenceFlow>
  <bpmn:sequenceFlow id="toEnd" sourceRef="amendment" targetRef="end"/>
`);

describe('the qt attributes the dossier layer reads (docs/dossiers.md)', () => {
  it('reads qt:form, qt:dossierStep and the applicant lane into the process graph', async () => {
    const graph = await readProcess(dossier());
    expect(graph.nodes.get('start')!.qt.form).toBe('to-khai');
    expect(graph.nodes.get('submit')).toMatchObject({ lane: 'Người yêu cầu', applicantLane: true, qt: { form: 'to-khai' } });
    expect(graph.nodes.get('receive')).toMatchObject({ lane: 'Bộ phận một cửa', qt: { dossierStep: 'receipt' } });
    expect(graph.nodes.get('receive')!.applicantLane).toBeUndefined();
  });

  it("offers the applicant's user tasks to the applicant's group, whatever the lane's name, and the others to their lane", async () => {
    // Given a dossier whose applicant submits, is asked to amend once, and amends
    const instance = await run(dossier());
    expect(instance.open.map((task) => [task.elementId, task.detail.candidateGroup])).toEqual([['submit', APPLICANT_CANDIDATE_GROUP]]);
    instance.send({ type: 'task.complete', elementId: 'submit' });
    expect(instance.open.map((task) => [task.elementId, task.detail.candidateGroup])).toEqual([['receive', 'Bộ phận một cửa']]);
    instance.send({ type: 'task.complete', elementId: 'receive', variables: { canBoSung: true } });
    expect(instance.open.map((task) => [task.elementId, task.detail.candidateGroup])).toEqual([['amend', 'qt:applicant']]);
  });

  it('keeps the lane name as the candidate group when no lane is marked as the applicant', async () => {
    const instance = await run(dossier(''));
    expect(instance.open.map((task) => task.detail.candidateGroup)).toEqual(['Người yêu cầu']);
  });

  it('marks the nodes of lanes nested inside the applicant lane, and of its sub-processes', async () => {
    const graph = await readProcess(bpmnProcess(`
      <bpmn:laneSet id="lanes">
        <bpmn:lane id="Lane_applicant" name="Người yêu cầu" qt:applicant="true">
          <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>prepare</bpmn:flowNodeRef>
          <bpmn:childLaneSet id="inner"><bpmn:lane id="Lane_parent" name="Cha mẹ"><bpmn:flowNodeRef>prepare</bpmn:flowNodeRef></bpmn:lane></bpmn:childLaneSet>
        </bpmn:lane>
        <bpmn:lane id="Lane_official" name="Cán bộ"><bpmn:flowNodeRef>end</bpmn:flowNodeRef></bpmn:lane>
      </bpmn:laneSet>
      <bpmn:startEvent id="start"/>
      <bpmn:subProcess id="prepare"><bpmn:startEvent id="s2"/><bpmn:userTask id="fill"/><bpmn:endEvent id="e2"/>${flows('s2>fill', 'fill>e2')}</bpmn:subProcess>
      <bpmn:endEvent id="end"/>
      ${flows('start>prepare', 'prepare>end')}
    `));
    expect(graph.nodes.get('prepare')).toMatchObject({ lane: 'Cha mẹ', applicantLane: true });
    expect(graph.nodes.get('fill')).toMatchObject({ lane: 'Cha mẹ', applicantLane: true });
    expect(graph.nodes.get('end')!.applicantLane).toBeUndefined();
  });

  it('refuses a qt:dossierStep other than receipt or approval, naming the element and the allowed values', async () => {
    const error = await readProcess(dossier(undefined, 'qt:dossierStep="appraisal"')).catch((caught: unknown) => caught);
    expect(isQuyTrinhError(error) && error.code).toBe('bpmn.invalid-attribute');
    expect(isQuyTrinhError(error) && error.details).toEqual([
      expect.objectContaining({ elementId: 'receive', messages: { vi: expect.stringContaining('receipt') as string, en: 'qt:dossierStep = "appraisal" is not valid; allowed values: receipt, approval' } }),
    ]);
  });

  it('refuses a qt:form that is not a form symbol, on every element carrying it', async () => {
    const error = await readProcess(dossier(undefined, undefined, 'Tờ khai')).catch((caught: unknown) => caught);
    expect(isQuyTrinhError(error) && error.details.map((detail) => [detail.elementId, detail.messages?.en])).toEqual(
      ['start', 'submit', 'amend'].map((id) => [id, 'qt:form = "Tờ khai" is not valid: expected a form symbol of lower-case letters, digits and hyphens, e.g. to-khai']),
    );
  });

  it('refuses at deployment a receipt check in the applicant lane and a form where nobody fills it in', async () => {
    const error = await refusal(bpmnProcess(`
      ${lanes('qt:applicant="true"')}
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="submit" qt:dossierStep="receipt"/>
      <bpmn:serviceTask id="receive" qt:jobType="dossier.number" qt:form="to-khai"/>
      <bpmn:userTask id="amend"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>submit', 'submit>receive', 'receive>amend', 'amend>end')}
    `));
    expect(error.code).toBe('bpmn.not-executable');
    expect(error.details.map((detail) => detail.elementId)).toEqual(['submit', 'receive']);
  });
});
