import { readFile } from 'node:fs/promises';
import { BpmnModdle } from 'bpmn-moddle';
import { describe, expect, it } from 'vitest';
import { parseBpmn } from '../../engine/bpmn/parse.ts';
import { qtModdleDescriptor } from '../../engine/bpmn/qt-extension.ts';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import { miwgAvailable, miwgModel } from '../support/miwg.ts';

const fixture = (name: string): Promise<string> => readFile(new URL(`../fixtures/bpmn/${name}`, import.meta.url), 'utf8');
const read = async (name: string, processId?: string) => readProcess(await fixture(name), processId);
const failure = async (name: string, processId?: string): Promise<QuyTrinhError> => {
  const error = await read(name, processId).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(QuyTrinhError);
  return error as QuyTrinhError;
};

describe('readProcess', () => {
  it('gives each node of a sequence the innermost lane that lists it, and links the flows', async () => {
    // given a birth registration drawn in a commune lane split into two unit lanes
    // when it is read
    const graph = await read('nested-lanes-sequence.bpmn');
    // then
    expect(graph).toMatchObject({ id: 'Process_birth_registration', name: 'Đăng ký khai sinh', isExecutable: true });
    expect(graph.topLevel).toEqual(['Start_submitted', 'Task_receive', 'Task_review', 'End_result_returned']);
    expect(graph.nodes.get('Task_receive')).toEqual({
      id: 'Task_receive',
      name: 'Tiếp nhận hồ sơ',
      kind: 'userTask',
      bpmnType: 'bpmn:UserTask',
      incoming: ['Flow_to_receive'],
      outgoing: ['Flow_to_review'],
      lane: 'Bộ phận một cửa',
      qt: { documents: [] },
    });
    expect(graph.nodes.get('Task_review')?.lane).toBe('Công chức tư pháp - hộ tịch');
    // the end event is listed only by the parent lane
    expect(graph.nodes.get('End_result_returned')?.lane).toBe('Ủy ban nhân dân cấp xã');
    expect(graph.nodes.get('Start_submitted')?.trigger).toEqual({ kind: 'none' });
    expect(graph.flows.get('Flow_to_review')).toEqual({ id: 'Flow_to_review', source: 'Task_receive', target: 'Task_review' });
  });

  it('reads exclusive-gateway conditions with or without a leading "=", and the default flow', async () => {
    // given a review outcome gateway with two conditional flows and a default
    // when it is read
    const graph = await read('exclusive-gateway-conditions.bpmn');
    // then
    const gateway = graph.nodes.get('Gateway_outcome');
    expect(gateway).toMatchObject({ kind: 'exclusiveGateway', defaultFlow: 'Flow_reject', incoming: ['Flow_to_gateway'] });
    expect(gateway?.outgoing).toEqual(['Flow_approve', 'Flow_supplement', 'Flow_reject']);
    expect(graph.flows.get('Flow_approve')).toMatchObject({ name: 'Đạt', condition: 'reviewOutcome = "approved"', probability: 0.7 });
    expect(graph.flows.get('Flow_supplement')?.condition).toBe('dossierComplete = false');
    expect(graph.flows.get('Flow_reject')?.condition).toBeUndefined();
  });

  it('reads a parallel split and join', async () => {
    // given two registry look-ups run side by side
    // when it is read
    const graph = await read('parallel-split-join.bpmn');
    // then
    expect(graph.nodes.get('Gateway_split')).toMatchObject({ kind: 'parallelGateway', incoming: ['Flow_start'], outgoing: ['Flow_split_population', 'Flow_split_land'] });
    expect(graph.nodes.get('Gateway_join')).toMatchObject({ kind: 'parallelGateway', incoming: ['Flow_join_population', 'Flow_join_land'], outgoing: ['Flow_end'] });
    expect(graph.nodes.get('Task_check_land_registry')?.kind).toBe('serviceTask');
  });

  it('reads interrupting and non-interrupting boundary timers and an error boundary', async () => {
    // given a review with a deadline, a reminder in working hours and an invalid-dossier error
    // when it is read
    const graph = await read('boundary-events.bpmn');
    // then
    expect(graph.nodes.get('Boundary_overdue')).toMatchObject({
      kind: 'boundaryEvent',
      attachedTo: 'Task_review',
      interrupting: true,
      trigger: { kind: 'timer', timer: { kind: 'duration', expression: 'P3D' } },
      outgoing: ['Flow_overdue'],
    });
    expect(graph.nodes.get('Boundary_remind')).toMatchObject({
      attachedTo: 'Task_review',
      interrupting: false,
      trigger: { kind: 'timer', timer: { kind: 'workingHours', hours: 16 } },
    });
    expect(graph.nodes.get('Boundary_invalid')).toMatchObject({ interrupting: true, trigger: { kind: 'error', errorCode: 'DOSSIER_INVALID' } });
    expect(graph.nodes.get('Task_review')?.trigger).toBeUndefined();
  });

  it('reads message catches with their message name and correlation key, an anonymous one by its id, and a multiple one with each trigger', async () => {
    // given catch events for a named message, an unnamed message, none, a named signal and two definitions
    // at once, and receive tasks with and without a message
    // when it is read
    const graph = await read('message-events.bpmn');
    const trigger = (id: string) => graph.nodes.get(id)?.trigger;
    // then
    expect(trigger('Catch_verification_result')).toEqual({ kind: 'message', messageName: 'Kết quả xác minh', correlationKey: 'dossierCode' });
    expect(trigger('Catch_fee_paid')).toEqual({ kind: 'message', messageName: 'Message_fee_paid' });
    expect(trigger('Catch_unconfigured')).toEqual({ kind: 'message', messageName: 'Catch_unconfigured' });
    expect(trigger('Catch_recall')).toEqual({ kind: 'signal', signalName: 'Thu hồi' });
    expect(trigger('Catch_message_or_timer')).toEqual({ kind: 'multiple', triggers: [{ kind: 'message', messageName: 'Message_fee_paid' }, { kind: 'timer', timer: { kind: 'duration', expression: 'PT8H' } }] });
    expect(trigger('End_terminated')).toEqual({ kind: 'terminate' });
    expect(graph.nodes.get('Catch_verification_result')?.kind).toBe('intermediateCatchEvent');
    expect(graph.nodes.get('Task_receive_fee_receipt')).toMatchObject({ kind: 'receiveTask', trigger: { kind: 'message', messageName: 'Message_fee_paid' } });
    expect(trigger('Task_receive_unconfigured')).toEqual({ kind: 'message', messageName: 'Task_receive_unconfigured' });
    expect(graph.nodes.get('Task_request_verification')).toMatchObject({ kind: 'sendTask', trigger: undefined });
  });

  it('reads a sub-process with its children and an event sub-process', async () => {
    // given a field check sub-process and a non-interrupting withdrawal event sub-process
    // when it is read
    const graph = await read('sub-process-and-event-sub-process.bpmn');
    // then
    expect(graph.topLevel).toEqual(['Start', 'SubProcess_field_check', 'End', 'EventSub_withdrawal']);
    expect(graph.nodes.get('SubProcess_field_check')).toMatchObject({
      kind: 'subProcess',
      children: ['Sub_start', 'Sub_task_measure', 'Sub_end'],
      triggeredByEvent: false,
      incoming: ['Flow_1'],
      outgoing: ['Flow_2'],
    });
    // a node inside lies in the lane of its sub-process
    expect(graph.nodes.get('Sub_task_measure')).toMatchObject({ parentId: 'SubProcess_field_check', lane: 'Văn phòng đăng ký đất đai', incoming: ['Sub_flow_1'] });
    expect(graph.flows.get('Sub_flow_2')).toMatchObject({ source: 'Sub_task_measure', target: 'Sub_end' });
    expect(graph.nodes.get('EventSub_withdrawal')).toMatchObject({ triggeredByEvent: true, children: ['EventSub_start', 'EventSub_end'] });
    expect(graph.nodes.get('EventSub_start')).toMatchObject({ interrupting: false, trigger: { kind: 'message', messageName: 'Rút hồ sơ' } });
  });

  it('marks constructs the engine cannot run as unsupported and leaves data and artifacts out', async () => {
    // given a transaction (read as a sub-process), an ad-hoc sub-process, a while-loop task (read as a task with its loop), a complex gateway, data objects and an annotation
    // when it is read
    const graph = await read('unsupported-constructs.bpmn');
    // then
    expect([...graph.nodes.keys()]).toEqual(['Start', 'Transaction_payment', 'Transaction_task_charge', 'AdHoc_collect', 'Task_repeat_until_complete', 'Gateway_complex', 'End']);
    // A transaction is read as a sub-process marked as one (engine/compile/transaction.ts executes it).
    expect(graph.nodes.get('Transaction_payment')).toMatchObject({ kind: 'subProcess', transaction: true, bpmnType: 'bpmn:Transaction', children: ['Transaction_task_charge'] });
    expect(graph.nodes.get('AdHoc_collect')).toMatchObject({ kind: 'unsupported', bpmnType: 'bpmn:AdHocSubProcess' });
    expect(graph.nodes.get('Task_repeat_until_complete')).toMatchObject({ kind: 'userTask', loop: { testBefore: false } });
    expect(graph.nodes.get('Gateway_complex')?.kind).toBe('complexGateway');
  });

  it('reads a multi-instance over a qt:collection and one with a fixed cardinality', async () => {
    // given a consultation of every related agency and three copies signed one after another
    // when it is read
    const graph = await read('multi-instance.bpmn');
    // then
    expect(graph.nodes.get('Task_consult_agency')?.multiInstance).toEqual({ sequential: false, collection: 'consultedAgencies', elementVariable: 'agency' });
    expect(graph.nodes.get('Task_sign_copies')?.multiInstance).toEqual({ sequential: true, cardinality: '3' });
    expect(graph.nodes.get('Task_sign_copies')?.kind).toBe('userTask');
  });

  it('reads the called process of a call activity', async () => {
    // given a marriage registration that calls the marital-status confirmation
    // when it is read
    const graph = await read('call-activity.bpmn');
    // then
    expect(graph.nodes.get('Call_confirm_marital_status')).toMatchObject({ kind: 'callActivity', calledElement: 'Process_marital_status_confirmation' });
  });

  it('reads the qt attributes as numbers, booleans and dossier components', async () => {
    // given a business registration annotated with its cost-model inputs
    // when it is read
    const graph = await read('qt-attributes.bpmn');
    // then
    expect(graph.procedure).toEqual({ procedureCode: '1.001612', subjectsPerYear: 12500, timesPerYear: 1, hourlyIncomeVnd: 31250, cutProcedures: [] });
    expect(graph.nodes.get('Task_submit')?.qt).toEqual({
      applicantHours: 2.5,
      outOfPocketVnd: 50000,
      feeVnd: 100000,
      trips: 2,
      manual: true,
      documents: [{ name: 'Giấy đề nghị đăng ký hộ kinh doanh', paper: false }, { name: 'Bản sao giấy tờ pháp lý của chủ hộ', paper: false }],
    });
    expect(graph.nodes.get('Task_register')?.qt).toEqual({ jobType: 'business-registry.issue', dueWorkingHours: 24, officialHours: 1.5, durationHours: 0.25, documents: [] });
    expect(graph.flows.get('Flow_complete')).toMatchObject({ condition: 'dossierComplete', probability: 0.85 });
    expect(graph.flows.get('Flow_incomplete')?.probability).toBe(0.15);
    expect(graph.nodes.get('Catch_wait_supplement')?.trigger).toEqual({ kind: 'timer', timer: { kind: 'workingHours', hours: 40 } });
  });

  it('refuses invalid qt attributes with one error naming every element and attribute', async () => {
    // given a model with a negative count, a non-numeric deadline, a negative fee, an unnamed
    // document, a negative timer and a probability above 1
    // when it is read
    const error = await failure('invalid-qt-attributes.bpmn');
    // then
    expect(error).toMatchObject({ kind: 'invalid-model', code: 'bpmn.invalid-attribute' });
    expect(error.text).toEqual({ vi: 'Mô hình có 6 thuộc tính không hợp lệ', en: 'The model has 6 invalid attribute(s)' });
    expect(error.details.map(({ elementId, message }) => ({ elementId, message }))).toEqual([
      { elementId: 'Task_review', message: 'qt:dueWorkingHours must be a number' },
      { elementId: 'Task_collect_fee', message: 'qt:feeVnd = -50000 must not be negative' },
      { elementId: 'Task_collect_fee', message: 'qt:document needs the name of the dossier component (name)' },
      { elementId: 'Catch_wait', message: 'qt:workingHours = -8 must not be negative' },
      { elementId: 'Flow_likely', message: 'qt:probability = 1.5 must be at most 1' },
      { elementId: 'Process_invalid', message: 'qt:subjectsPerYear = -12 must not be negative' },
    ]);
    expect(error.details[0]?.messages?.vi).toBe('qt:dueWorkingHours phải là một số');
  });

  it('refuses a sequence flow that does not connect two nodes of the process', async () => {
    // given a flow into a data object and a flow to an id nothing has
    // when it is read
    const error = await failure('dangling-sequence-flows.bpmn');
    // then
    expect(error).toMatchObject({ code: 'bpmn.invalid-attribute' });
    expect(error.details.map((detail) => detail.elementId)).toEqual(['Flow_into_data', 'Flow_to_nowhere']);
    expect(error.details[0]?.message).toBe('A sequence flow must connect two nodes of the process (sourceRef, targetRef)');
  });

  it('refuses a collaboration of two executable pools unless the process is named', async () => {
    // given a district and a province pool, both executable
    // when it is read without a process id
    const error = await failure('ambiguous-collaboration.bpmn');
    // then
    expect(error).toMatchObject({ kind: 'invalid-model', code: 'bpmn.ambiguous-process' });
    expect(error.details.map((detail) => detail.elementId)).toEqual(['Process_district', 'Process_province']);
    expect(error.text.en).toContain('Process_district, Process_province');
    // and when the province process is named, that one is read
    const graph = await read('ambiguous-collaboration.bpmn', 'Process_province');
    expect(graph.topLevel).toEqual(['Start_province', 'Task_decide']);
  });

  it('refuses a process id the model does not contain', async () => {
    // given a model with two processes
    // when an unknown process is asked for
    const error = await failure('ambiguous-collaboration.bpmn', 'Process_commune');
    // then
    expect(error).toMatchObject({ code: 'bpmn.process-not-found', text: { en: 'The model has no process "Process_commune"' } });
    expect(error.details.map((detail) => detail.elementId)).toEqual(['Process_district', 'Process_province']);
  });

  it('keeps every qt attribute and qt:document through an export', async () => {
    // given the qt-annotated model
    const xml = await fixture('qt-attributes.bpmn');
    const { definitions } = await parseBpmn(xml);
    // when it is written back with the extension registered
    const exported = (await BpmnModdle({ qt: qtModdleDescriptor }).toXML(definitions, { format: true })).xml;
    // then the text keeps the attributes and the graph read from it is the same
    for (const attribute of ['qt:procedureCode="1.001612"', 'qt:hourlyIncomeVnd="31250"', 'qt:manual="true"', 'qt:dueWorkingHours="24"', 'qt:probability="0.85"', 'qt:workingHours="40"']) {
      expect(exported).toContain(attribute);
    }
    expect(exported).toContain('<qt:document name="Bản sao giấy tờ pháp lý của chủ hộ" />');
    expect(await readProcess(exported)).toEqual(await readProcess(xml));
  });
});

describe.runIf(miwgAvailable)('readProcess on the BPMN MIWG reference model C.1.0', () => {
  const miwg = () => readFile(miwgModel('C.1.0.bpmn'), 'utf8');

  it('reads the executable pool of the invoice collaboration with its lanes', async () => {
    // given the two-pool invoice receipt collaboration
    // when it is read without a process id
    const graph = await readProcess(await miwg());
    // then the executable process engine pool is chosen
    expect(graph).toMatchObject({ id: 'bpmn-miwg-test-case-c.1.0', isExecutable: true });
    expect(graph.nodes.size).toBe(10);
    expect(new Set([...graph.nodes.values()].map((node) => node.lane))).toEqual(new Set(['Approver', 'Team Assistant', 'Accountant']));
    expect(graph.nodes.get('prepareBankTransfer')).toMatchObject({ kind: 'userTask', lane: 'Accountant', outgoing: ['SequenceFlow_2'] });
    expect(graph.flows.get('invoiceNotApproved')).toMatchObject({ source: 'invoice_approved', target: 'reviewInvoice', condition: '${!approved}' });
  });

  it('reads the non-executable team-assistant pool when named', async () => {
    // given the same collaboration
    // when the team-assistant process is asked for
    const graph = await readProcess(await miwg(), 'sid-5FBB6CB3-8A7C-42B5-9024-15BB2684EC57');
    // then its unnamed lane gives no lane name, and its drawn-but-empty events are unsupported
    expect(graph.nodes.size).toBeGreaterThan(10);
    expect(graph.isExecutable).toBe(false);
    expect([...graph.nodes.values()].every((node) => node.lane === undefined)).toBe(true);
    expect(graph.nodes.get('sid-F0D29912-929D-491C-8D23-73BD80CF980A')?.kind).toBe('eventBasedGateway');
    expect(graph.nodes.get('sid-0E349B8B-14A7-4565-988A-38F3A9B624D2')).toMatchObject({
      name: '7 days',
      trigger: { kind: 'unsupported', definitionType: 'bpmn:TimerEventDefinition' },
    });
  });
});
