/**
 * BPMN XML -> ProcessGraph: the one place that knows bpmn-moddle's object model. Everything
 * downstream (compiler, cost model, lint rules) reads the graph, never the XML.
 *
 * Reading is lenient about BPMN it cannot execute (an unknown element becomes kind
 * `unsupported`, for the compiler and the lint rules to name) but strict about the product's
 * own `qt` attributes: a wrong number there would silently skew a cost or a deadline.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { z } from 'zod';
import { QuyTrinhError, type ErrorDetail } from '../errors.ts';
import { BPMN_ENGINE_URI, parseBpmn } from './parse.ts';
import { implementationJobType } from './peer-implementations.ts';
import { FORM_SYMBOL } from '../codes/form-code.ts';
import { ANONYMOUS_SIGNAL, APPLICANT_CHANNELS, DOSSIER_STEPS, PAYMENT_CHANNELS, PROCEDURE_CUTS, type CutProcedure, RESULT_DELIVERIES, RESULT_FORMS, type DossierComponent, type EventTrigger, type FlowNode, type MultiInstance, type NodeKind, type ProcessGraph, type QtAttributes, type SequenceFlow, type StandardLoop } from './process-graph.ts';

export async function readProcess(xml: string, processId?: string): Promise<ProcessGraph> {
  const { definitions } = await parseBpmn(xml);
  return processGraphOf(definitions, processId);
}

/**
 * Every process of a file that deploys, in the file's order: its only process, or each one it
 * marks executable. BPMN 2.0 (§10.2, the process's `isExecutable`) and Camunda treat each executable process
 * of a definitions file as a process of its own, deployed with the others; a stored definition
 * is then one of them, read again by its id (`readProcess(xml, key)`).
 */
export async function readProcesses(xml: string): Promise<ProcessGraph[]> {
  const { definitions, duplicateIds } = await parseBpmn(xml);
  // Deploying refuses what reading would silently drop (a stored model is read again as it was
  // deployed, so readProcess does not): the second element of an id is not in the graph.
  if (duplicateIds.length > 0) {
    throw new QuyTrinhError('invalid-model', 'bpmn.duplicate-id', {
      vi: `Mã phần tử bị dùng nhiều lần: ${duplicateIds.join(', ')}; mỗi phần tử trong tệp phải có mã riêng (phần tử trùng mã bị bỏ qua khi đọc)`,
      en: `Element ids used more than once: ${duplicateIds.join(', ')}; every element of a file needs an id of its own (a repeat is dropped when read)`,
    }, duplicateIds.map((elementId) => ({ elementId, message: 'an id given to more than one element', messages: { vi: 'mã được dùng cho nhiều phần tử', en: 'an id given to more than one element' } })));
  }
  return processGraphsOf(definitions);
}

/**
 * The graph of a model bpmn-moddle has already read: the designer's open model as bpmn-js holds
 * it (the same moddle with the same qt descriptor), so its live cost needs no XML round trip.
 */
export function processGraphOf(definitions: ModdleElement, processId?: string): ProcessGraph {
  const roots = children(definitions, 'rootElements');
  return graphsOf(definitions, roots, [pickProcess(definitions, roots, processId)])[0]!;
}

/** The graphs of every process of a model that deploys (readProcesses). */
export function processGraphsOf(definitions: ModdleElement): ProcessGraph[] {
  const roots = children(definitions, 'rootElements');
  return graphsOf(definitions, roots, deployableProcesses(definitions, roots));
}

function graphsOf(definitions: ModdleElement, roots: ModdleElement[], processes: ModdleElement[]): ProcessGraph[] {
  const problems: ErrorDetail[] = [];
  // bpmn-moddle answers XPath (BPMN's nominal default) for an expressionLanguage the file does
  // not state; no tool writes XPath conditions, so only a stated language counts.
  const expressionLanguage = Object.hasOwn(definitions, 'expressionLanguage') ? text(definitions, 'expressionLanguage') : undefined;
  const graphs = processes.map((process) => {
    const graph = buildGraph(process, expressionLanguage, problems);
    graph.calledProcesses = calledProcesses(graph, roots, expressionLanguage, problems);
    return graph;
  });
  // A process both deployed and called by another is read twice: its problems are said once.
  const distinct = [...new Map(problems.map((problem) => [JSON.stringify(problem), problem])).values()];
  if (distinct.length > 0) {
    throw new QuyTrinhError('invalid-model', 'bpmn.invalid-attribute', {
      vi: `Mô hình có ${distinct.length} thuộc tính không hợp lệ`,
      en: `The model has ${distinct.length} invalid attribute(s)`,
    }, distinct);
  }
  return graphs;
}

/**
 * The file's other processes a call activity reaches, the called ones' own calls followed (a
 * call of the read process itself, or of a process of another file, is not: those are deployed
 * definitions). Every graph shares the one map.
 */
function calledProcesses(graph: ProcessGraph, roots: ModdleElement[], expressionLanguage: string | undefined, problems: ErrorDetail[]): ReadonlyMap<string, ProcessGraph> {
  const called = new Map<string, ProcessGraph>();
  const pending = [graph];
  for (let caller = pending.pop(); caller !== undefined; caller = pending.pop()) {
    for (const node of caller.nodes.values()) {
      const id = node.kind === 'callActivity' ? node.calledElement : undefined;
      const process = roots.find((root) => root.$type === 'bpmn:Process' && root.id === id);
      if (id === undefined || id === graph.id || called.has(id) || process === undefined) continue;
      const inner = buildGraph(process, expressionLanguage, problems);
      inner.calledProcesses = called;
      called.set(id, inner);
      pending.push(inner);
    }
  }
  return called;
}

const KIND_BY_TYPE: Record<string, NodeKind> = {
  'bpmn:StartEvent': 'startEvent',
  'bpmn:EndEvent': 'endEvent',
  'bpmn:IntermediateCatchEvent': 'intermediateCatchEvent',
  'bpmn:IntermediateThrowEvent': 'intermediateThrowEvent',
  'bpmn:BoundaryEvent': 'boundaryEvent',
  'bpmn:UserTask': 'userTask',
  'bpmn:ServiceTask': 'serviceTask',
  'bpmn:SendTask': 'sendTask',
  'bpmn:BusinessRuleTask': 'businessRuleTask',
  'bpmn:ScriptTask': 'scriptTask',
  'bpmn:ReceiveTask': 'receiveTask',
  'bpmn:ManualTask': 'manualTask',
  'bpmn:Task': 'task',
  'bpmn:ExclusiveGateway': 'exclusiveGateway',
  'bpmn:ParallelGateway': 'parallelGateway',
  'bpmn:InclusiveGateway': 'inclusiveGateway',
  'bpmn:EventBasedGateway': 'eventBasedGateway',
  'bpmn:ComplexGateway': 'complexGateway',
  'bpmn:SubProcess': 'subProcess',
  // A transaction is a sub-process whose cancel end event compensates and cancels it (§10.3.2).
  'bpmn:Transaction': 'subProcess',
  'bpmn:CallActivity': 'callActivity',
};

const EVENT_KINDS = new Set<NodeKind>(['startEvent', 'endEvent', 'intermediateCatchEvent', 'intermediateThrowEvent', 'boundaryEvent']);

/** Flow elements that are not flow nodes (in BPMN 2.0 a flow element is a flow node, a sequence flow or a data element). */
const DATA_ELEMENT_TYPES = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);

/** Containers of flow elements: sub-process, transaction and ad-hoc sub-process. */
const CONTAINER_TYPES = new Set(['bpmn:SubProcess', 'bpmn:Transaction', 'bpmn:AdHocSubProcess']);

// The qt attribute values, validated at the boundary (bpmn-moddle has already turned the text
// into numbers: a non-numeric value arrives as NaN, which z.number() refuses).
const amount = z.number().min(0).optional();

const procedureAttributes = z.object({
  procedureCode: z.string().optional(),
  subjectsPerYear: amount,
  timesPerYear: amount,
  hourlyIncomeVnd: amount,
  publishedOnline: z.boolean().optional(),
  formsDownloadable: z.boolean().optional(),
  assuranceLevel: z.union([z.literal(1), z.literal(2)]).optional(),
  calibratedFrom: z.iso.date().optional(),
  calibratedTo: z.iso.date().optional(),
  calibratedDossiers: z.number().int().min(0).optional(),
});

const stepAttributes = z.object({
  jobType: z.string().optional(),
  dueWorkingHours: amount,
  applicantHours: amount,
  outOfPocketVnd: amount,
  feeVnd: amount,
  trips: amount,
  officialHours: amount,
  durationHours: amount,
  manual: z.boolean().optional(),
  channel: z.enum(APPLICANT_CHANNELS).optional(),
  payment: z.enum(PAYMENT_CHANNELS).optional(),
  presence: z.boolean().optional(),
  result: z.enum(RESULT_FORMS).optional(),
  resultDelivery: z.enum(RESULT_DELIVERIES).optional(),
  form: z.string().regex(FORM_SYMBOL).optional(),
  dossierStep: z.enum(DOSSIER_STEPS).optional(),
});

/** What a qt attribute written as text must look like, for the message when it does not. */
const TEXT_FORMATS: Record<string, { vi: string; en: string }> = {
  form: { vi: 'ký hiệu biểu mẫu gồm chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ to-khai', en: 'a form symbol of lower-case letters, digits and hyphens, e.g. to-khai' },
};

const probabilityAttribute = z.object({ probability: z.number().min(0).max(1).optional() });

const multiInstanceAttributes = z.object({ expectedCount: amount });

const timerAttributes = z.object({ workingHours: amount });

/**
 * The processes of a file that run: its only process, or each one marked executable. The others
 * (the applicant, another agency) are pools drawn to show the message exchange.
 */
function deployableProcesses(definitions: ModdleElement, rootElements: ModdleElement[]): ModdleElement[] {
  const processes = rootElements.filter((root) => root.$type === 'bpmn:Process');
  if (processes.length === 1) return processes;
  const executable = processes.filter((process) => process.isExecutable === true);
  if (processes.length === 0) throw processNotFound(definitions, processes, undefined);
  if (executable.length === 0) throw ambiguousProcess(processes);
  return executable;
}

function pickProcess(definitions: ModdleElement, rootElements: ModdleElement[], processId: string | undefined): ModdleElement {
  if (processId === undefined) {
    const deployable = deployableProcesses(definitions, rootElements);
    if (deployable.length === 1 && deployable[0]) return deployable[0];
    throw ambiguousProcess(deployable);
  }
  const processes = rootElements.filter((root) => root.$type === 'bpmn:Process');
  const candidates = processes.filter((process) => process.id === processId);
  if (candidates.length === 1 && candidates[0]) return candidates[0];
  const executable = candidates.filter((process) => process.isExecutable === true);
  if (executable.length === 1 && executable[0]) return executable[0];
  if (candidates.length === 0) throw processNotFound(definitions, processes, processId);
  throw ambiguousProcess(executable.length > 1 ? executable : candidates);
}

function processNotFound(definitions: ModdleElement, processes: ModdleElement[], processId: string | undefined): QuyTrinhError {
  const wanted = processId === undefined ? '' : ` "${processId}"`;
  return new QuyTrinhError('invalid-model', 'bpmn.process-not-found', {
    vi: `Mô hình không có quy trình${wanted}`,
    en: `The model has no process${wanted}`,
  }, processes.length > 0 ? processes.map((process) => ({ elementId: process.id ?? '', message: 'a process in this model', messages: { vi: 'một quy trình của mô hình', en: 'a process in this model' } })) : [{ elementId: definitions.id ?? '', field: 'rootElements', message: 'the definitions hold no process', messages: { vi: 'tệp không chứa quy trình nào', en: 'the definitions hold no process' } }]);
}

function ambiguousProcess(ambiguous: ModdleElement[]): QuyTrinhError {
  const list = ambiguous.map((process) => process.id).join(', ');
  return new QuyTrinhError('invalid-model', 'bpmn.ambiguous-process', {
    vi: `Không xác định được quy trình cần đọc trong số: ${list}; hãy đánh dấu đúng một quy trình là thực thi được (isExecutable) hoặc chỉ rõ mã quy trình`,
    en: `Cannot tell which process to read among: ${list}; mark exactly one as executable (isExecutable) or name the process id`,
  }, ambiguous.map((process) => ({ elementId: process.id ?? '', message: 'a candidate process', messages: { vi: 'một quy trình có thể được chọn', en: 'a candidate process' } })));
}

function buildGraph(process: ModdleElement, expressionLanguage: string | undefined, problems: ErrorDetail[]): ProcessGraph {
  const placed = flowElementsIn(process);
  const containers = [process, ...placed.filter(({ element }) => CONTAINER_TYPES.has(element.$type)).map(({ element }) => element)];
  const lanes = containers.map((container) => nodeLanes(container));
  const laneByNode = new Map(lanes.flatMap((each) => [...each.names]));
  const applicantByNode = new Map(lanes.flatMap((each) => [...each.applicant]));

  const nodes = new Map<string, FlowNode>();
  const flows = new Map<string, SequenceFlow>();
  for (const { element, parent } of placed) {
    if (element.$type === 'bpmn:SequenceFlow') {
      flows.set(element.id ?? '', readFlow(element, expressionLanguage, problems));
    } else if (!DATA_ELEMENT_TYPES.has(element.$type)) {
      // A node no lane lists lies in its sub-process's lane: tools draw lanes on the process
      // level only, and the sub-process is performed by that lane's role.
      const parentId = parent?.id;
      const lane = laneByNode.get(element.id ?? '') ?? (parentId === undefined ? undefined : nodes.get(parentId)?.lane);
      const applicantLane = applicantByNode.get(element.id ?? '') ?? (parentId !== undefined && nodes.get(parentId)?.applicantLane === true);
      nodes.set(element.id ?? '', readNode(element, parent, lane, applicantLane, expressionLanguage, problems));
    }
  }
  linkFlows(nodes, flows, problems);
  linkCompensationHandlers(containers, nodes);
  for (const node of nodes.values()) {
    if (node.parentId !== undefined) nodes.get(node.parentId)?.children?.push(node.id);
  }

  return {
    id: process.id ?? '',
    name: text(process, 'name'),
    isExecutable: process.isExecutable === true,
    nodes,
    flows,
    topLevel: [...nodes.values()].filter((node) => node.parentId === undefined).map((node) => node.id),
    procedure: { ...qtAttributes(procedureAttributes, process, process.id ?? '', problems), cutProcedures: cutProcedures(process, problems) },
  };
}

/**
 * Every flow element of a container, depth first, each with the sub-process it lies in. An
 * explicit stack, not recursion: sub-processes may be nested as deep as a model's size allows.
 */
function flowElementsIn(container: ModdleElement): Array<{ element: ModdleElement; parent: ModdleElement | undefined }> {
  const placed: Array<{ element: ModdleElement; parent: ModdleElement | undefined }> = [];
  const stack: Array<{ elements: ModdleElement[]; next: number; parent: ModdleElement | undefined }> = [{ elements: children(container, 'flowElements'), next: 0, parent: undefined }];
  while (stack.length > 0) {
    const level = stack[stack.length - 1]!;
    const element = level.elements[level.next++];
    if (element === undefined) {
      stack.pop();
      continue;
    }
    placed.push({ element, parent: level.parent });
    if (CONTAINER_TYPES.has(element.$type)) stack.push({ elements: children(element, 'flowElements'), next: 0, parent: element });
  }
  return placed;
}

/**
 * Node id -> name of the innermost named lane listing it; child lanes (childLaneSet) refine their
 * parent. Also, for every node a lane lists, whether it is the applicant's: a lane marked
 * qt:applicant="true", and the lanes inside it.
 */
function nodeLanes(container: ModdleElement): { names: Map<string, string>; applicant: Map<string, boolean> } {
  const names = new Map<string, string>();
  const applicant = new Map<string, boolean>();
  // Parents before their children (an explicit stack, for lanes nested however deep), so the innermost name is the one kept.
  const pending = children(container, 'laneSets').flatMap((laneSet) => children(laneSet, 'lanes')).reverse().map((lane) => ({ lane, ofApplicant: false }));
  while (pending.length > 0) {
    const { lane, ofApplicant } = pending.pop()!;
    const name = text(lane, 'name');
    const isApplicant = ofApplicant || lane.applicant === true;
    for (const node of children(lane, 'flowNodeRef')) {
      if (name !== undefined) names.set(node.id ?? '', name);
      applicant.set(node.id ?? '', isApplicant);
    }
    pending.push(...children(reference(lane, 'childLaneSet'), 'lanes').reverse().map((child) => ({ lane: child, ofApplicant: isApplicant })));
  }
  return { names, applicant };
}

function readNode(element: ModdleElement, parent: ModdleElement | undefined, lane: string | undefined, applicantLane: boolean, expressionLanguage: string | undefined, problems: ErrorDetail[]): FlowNode {
  const id = element.id ?? '';
  const kind = nodeKind(element);
  const isContainer = CONTAINER_TYPES.has(element.$type);
  return {
    id,
    name: text(element, 'name'),
    kind,
    bpmnType: element.$type,
    parentId: parent?.id,
    incoming: [],
    outgoing: [],
    lane,
    applicantLane: applicantLane || undefined,
    trigger: EVENT_KINDS.has(kind) ? eventTrigger(element, expressionLanguage, problems) : taskMessageTrigger(element),
    attachedTo: reference(element, 'attachedToRef')?.id,
    interrupting: interrupting(element, parent),
    probability: isCatchEvent(element) ? qtAttributes(probabilityAttribute, element, id, problems).probability : undefined,
    defaultFlow: reference(element, 'default')?.id,
    calledElement: text(element, 'calledElement'),
    multiInstance: multiInstance(element, expressionLanguage, problems),
    loop: standardLoop(element, expressionLanguage),
    children: isContainer ? [] : undefined,
    triggeredByEvent: isContainer ? element.triggeredByEvent === true : undefined,
    ...(element.$type === 'bpmn:Transaction' ? { transaction: true } : {}),
    ...(element.isForCompensation === true ? { forCompensation: true } : {}),
    qt: withPeerJobType(element, { ...qtAttributes(stepAttributes, element, id, problems), documents: documents(element, problems) }, problems),
  };
}

const CAMUNDA_URI = 'http://camunda.org/schema/1.0/bpmn';
const ZEEBE_URI = 'http://camunda.org/schema/zeebe/1.0';

/** Where Camunda 7 defines camunda:topic (camunda:ServiceTaskLike) and Zeebe its zeebe:taskDefinition (zeebe:ZeebeServiceTask) on tasks and message throw events. */
const CAMUNDA_TOPIC_TYPES = new Set(['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask']);
const ZEEBE_TASK_TYPES = new Set(['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask', 'bpmn:ScriptTask', 'bpmn:IntermediateThrowEvent']);

/**
 * The job type of an automated task that has no qt:jobType, read as the modeler that wrote it
 * means it, so that models from Camunda Modeler run unchanged: a Camunda 7 external task
 * (`camunda:type="external" camunda:topic="…"`: the topic workers fetch), else Zeebe's
 * `<zeebe:taskDefinition type="…"/>` (the type job workers subscribe to). qt:jobType wins over
 * both. Neither namespace is registered with bpmn-moddle (Camunda's descriptor also defines
 * `collection` and `elementVariable`, which would shadow qt's on multi-instance loops), so the
 * attribute is read from the element's unknown attributes and the extension element as a generic
 * one, each by its namespace URI whatever prefix the file gives it. A Zeebe type written as an
 * expression (`=…`) is computed per instance by Zeebe; the engine needs a fixed type, so it is
 * refused naming the task.
 */
function withPeerJobType(element: ModdleElement, qt: QtAttributes, problems: ErrorDetail[]): QtAttributes {
  if (qt.jobType !== undefined) return qt;
  const camunda = CAMUNDA_TOPIC_TYPES.has(element.$type) ? foreignAttributes(element, CAMUNDA_URI) : {};
  if (camunda.type === 'external' && camunda.topic?.trim()) return { ...qt, jobType: camunda.topic.trim() };
  const connector = CAMUNDA_TOPIC_TYPES.has(element.$type) ? camundaConnectorId(element) : undefined;
  if (connector) return { ...qt, jobType: connector };
  if (!ZEEBE_TASK_TYPES.has(element.$type)) return qt;
  const definition = children(reference(element, 'extensionElements'), 'values').find((value) => isGeneric(value, ZEEBE_URI, 'taskDefinition'));
  const type = text(definition, 'type')?.trim();
  if (!type) {
    // Else the service the task names (Camunda 7's class or delegate, bpmn-engine's service), or a script's language: peer-implementations.ts.
    const implementation = Object.hasOwn(element, 'implementation') ? text(element, 'implementation') : undefined;
    const reading = implementationJobType({ type: element.$type, implementation, scriptFormat: text(element, 'scriptFormat'), camunda });
    if (reading && 'problem' in reading) problems.push(bilingualDetail(element.id ?? '', reading.problem.vi, reading.problem.en));
    return reading && 'jobType' in reading ? { ...qt, jobType: reading.jobType } : qt;
  }
  if (type.startsWith('=')) {
    problems.push(bilingualDetail(element.id ?? '', `zeebe:taskDefinition type = "${type}" là một biểu thức; động cơ cần một loại công việc cố định (hoặc qt:jobType)`, `zeebe:taskDefinition type = "${type}" is an expression; the engine needs a fixed job type (or qt:jobType)`));
    return qt;
  }
  return { ...qt, jobType: type };
}

/**
 * A Camunda 7 connector's id (`<camunda:connector><camunda:connectorId>http-connector</…>`): the
 * connector Camunda's Connect plugin runs for the task (its input and output parameters are the
 * connector's). Read as the job type, as the topic of an external task is: a worker registered for
 * that connector does the work. The connector's parameters are not evaluated (docs/bpmn-coverage.md).
 */
function camundaConnectorId(element: ModdleElement): string | undefined {
  const connector = children(reference(element, 'extensionElements'), 'values').find((value) => isGeneric(value, CAMUNDA_URI, 'connector'));
  const id = (connector?.$children as ModdleElement[] | undefined)?.find((child) => isGeneric(child, CAMUNDA_URI, 'connectorId'));
  return (id?.$body as string | undefined)?.trim() || undefined;
}

/** An element's attributes of the namespace `uri` (unknown to bpmn-moddle, so kept in `$attrs` under the file's prefix), by local name. */
function foreignAttributes(element: ModdleElement, uri: string): Record<string, string | undefined> {
  const found: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(element.$attrs ?? {})) {
    const [prefix, local] = name.split(':');
    if (local === undefined || prefix === 'xmlns') continue;
    if (namespaceOf(element, prefix!) === uri) found[local] = value;
  }
  return found;
}

/** The namespace URI a prefix is declared for on the element or its nearest ancestor declaring it. */
function namespaceOf(element: ModdleElement | undefined, prefix: string): string | undefined {
  for (let owner = element; owner !== undefined; owner = reference(owner, '$parent')) {
    const declared = owner.$attrs?.[`xmlns:${prefix}`];
    if (declared !== undefined) return declared;
  }
  return undefined;
}

/** An extension element bpmn-moddle read generically (its namespace has no descriptor), by namespace URI and local name. */
function isGeneric(element: ModdleElement, uri: string, localName: string): boolean {
  const ns = (element.$descriptor as { ns?: { uri?: string; localName?: string } } | undefined)?.ns;
  return ns?.uri === uri && ns.localName === localName;
}

function nodeKind(element: ModdleElement): NodeKind {
  return KIND_BY_TYPE[element.$type] ?? 'unsupported';
}

function standardLoop(activity: ModdleElement, expressionLanguage: string | undefined): StandardLoop | undefined {
  const loop = reference(activity, 'loopCharacteristics');
  if (loop?.$type !== 'bpmn:StandardLoopCharacteristics') return undefined;
  const condition = expression(loop, 'loopCondition')?.replace(/^=/, '').trim() || undefined;
  const maximum = typeof loop.loopMaximum === 'number' && Number.isFinite(loop.loopMaximum) ? loop.loopMaximum : undefined;
  return {
    condition,
    conditionLanguage: condition === undefined ? undefined : (text(reference(loop, 'loopCondition'), 'language') ?? expressionLanguage),
    testBefore: loop.testBefore === true,
    maximum,
  };
}

/** Boundary events interrupt unless cancelActivity="false"; so do event sub-process starts unless isInterrupting="false". */
function interrupting(element: ModdleElement, parent: ModdleElement | undefined): boolean | undefined {
  if (element.$type === 'bpmn:BoundaryEvent') return element.cancelActivity !== false;
  if (element.$type === 'bpmn:StartEvent' && parent?.triggeredByEvent === true) return element.isInterrupting !== false;
  return undefined;
}

function eventTrigger(event: ModdleElement, expressionLanguage: string | undefined, problems: ErrorDetail[]): EventTrigger {
  const definitions = [...children(event, 'eventDefinitions'), ...children(event, 'eventDefinitionRef')];
  const [definition] = definitions;
  if (definition === undefined) return { kind: 'none' };
  if (definitions.length === 1) return definitionTrigger(event, definition, expressionLanguage, problems);
  // A multiple catch event (BPMN 2.0 §10.4.1: any one of its definitions triggers it) holds each
  // definition's trigger; a parallel multiple one (all of them must occur) and a multiple throw
  // (which throws them all) are not executed.
  const joined: EventTrigger = { kind: 'unsupported', definitionType: definitions.map((each) => each.$type).join(' + ') };
  if (!isCatchEvent(event) || event.parallelMultiple === true) return joined;
  return { kind: 'multiple', triggers: definitions.map((each) => definitionTrigger(event, each, expressionLanguage, problems)) };
}

/** The trigger of one event definition of `event`. */
function definitionTrigger(event: ModdleElement, definition: ModdleElement, expressionLanguage: string | undefined, problems: ErrorDetail[]): EventTrigger {
  // A definition drawn but not filled in (no message, no time) cannot run either; it stays
  // unsupported under its own type so the lint rules can name what is missing.
  const incomplete: EventTrigger = { kind: 'unsupported', definitionType: definition.$type };
  switch (definition.$type) {
    case 'bpmn:MessageEventDefinition':
      return messageTrigger(reference(definition, 'messageRef'), text(definition, 'correlationKey')) ?? anonymousMessage(event, text(definition, 'correlationKey')) ?? incomplete;
    case 'bpmn:TimerEventDefinition': {
      const { workingHours } = qtAttributes(timerAttributes, definition, event.id ?? '', problems);
      // qt:workingHours wins over a plain duration: legal deadlines run in working time
      // (engine/calendar), the duration is what other BPMN tools show.
      if (workingHours !== undefined) return { kind: 'timer', timer: { kind: 'workingHours', hours: workingHours } };
      const duration = expression(definition, 'timeDuration');
      const date = expression(definition, 'timeDate');
      const cycle = expression(definition, 'timeCycle');
      if (duration !== undefined) return { kind: 'timer', timer: { kind: 'duration', expression: duration } };
      if (date !== undefined) return { kind: 'timer', timer: { kind: 'date', expression: date } };
      if (cycle !== undefined) return { kind: 'timer', timer: { kind: 'cycle', expression: cycle } };
      return incomplete;
    }
    case 'bpmn:ErrorEventDefinition':
      return { kind: 'error', errorCode: text(reference(definition, 'errorRef'), 'errorCode') };
    case 'bpmn:TerminateEventDefinition':
      return { kind: 'terminate' };
    case 'bpmn:SignalEventDefinition': {
      const signal = reference(definition, 'signalRef');
      const signalName = text(signal, 'name') ?? signal?.id;
      return { kind: 'signal', signalName: signalName ?? ANONYMOUS_SIGNAL };
    }
    case 'bpmn:EscalationEventDefinition': {
      const escalation = reference(definition, 'escalationRef');
      return { kind: 'escalation', escalationCode: text(escalation, 'escalationCode') ?? escalation?.id };
    }
    case 'bpmn:ConditionalEventDefinition': {
      const condition = expression(definition, 'condition')?.replace(/^=/, '').trim();
      return condition ? { kind: 'conditional', condition, conditionLanguage: text(reference(definition, 'condition'), 'language') ?? expressionLanguage } : incomplete;
    }
    case 'bpmn:CompensateEventDefinition':
      return { kind: 'compensate', activityRef: reference(definition, 'activityRef')?.id, waitForCompletion: definition.waitForCompletion !== false };
    case 'bpmn:CancelEventDefinition':
      return { kind: 'cancel' };
    case 'bpmn:LinkEventDefinition': {
      const linkName = text(definition, 'name')?.trim();
      return linkName ? { kind: 'link', linkName } : incomplete;
    }
    default:
      return { kind: 'unsupported', definitionType: definition.$type };
  }
}

/**
 * A receive task waits for its message (messageRef) as a message catch event does, an anonymous
 * one too. A send task's message (with its qt:correlationKey) is what it sends when no qt:jobType
 * names a job to send it (activities.ts); one naming no message has none.
 */
function taskMessageTrigger(element: ModdleElement): EventTrigger | undefined {
  if (element.$type === 'bpmn:ReceiveTask') return messageTrigger(reference(element, 'messageRef'), undefined) ?? anonymousMessage(element);
  return element.$type === 'bpmn:SendTask' ? messageTrigger(reference(element, 'messageRef'), text(element, 'correlationKey')) : undefined;
}

/**
 * A catching message event or receive task drawn without its message (messageRef) waits for a
 * message named by its own id, as bpmn-engine delivers to it by addressing the waiting element
 * (`getApi().signal()`; test/events/IntermediateCatchEvent-test.js "with message event
 * definition"): `POST /api/messages {name: "<element id>"}` reaches it (docs/bpmn-coverage.md).
 * Its qt:correlationKey, if any, is kept as on any message catch. A throwing one (intermediate
 * throw, end) stays without a trigger: it names nothing to send.
 */
function anonymousMessage(element: ModdleElement, correlationKey?: string): EventTrigger | undefined {
  const catches = element.$type === 'bpmn:ReceiveTask' || isCatchEvent(element);
  return catches && element.id ? { kind: 'message', messageName: element.id, correlationKey } : undefined;
}

/** Messages are matched by name, the id standing in for an unnamed one; no message, no trigger. */
function messageTrigger(message: ModdleElement | undefined, correlationKey: string | undefined): EventTrigger | undefined {
  const messageName = text(message, 'name') ?? message?.id;
  return messageName === undefined ? undefined : { kind: 'message', messageName, correlationKey };
}

function multiInstance(activity: ModdleElement, expressionLanguage: string | undefined, problems: ErrorDetail[]): MultiInstance | undefined {
  const loop = reference(activity, 'loopCharacteristics');
  if (loop?.$type !== 'bpmn:MultiInstanceLoopCharacteristics') return undefined;
  const cardinality = expression(loop, 'loopCardinality');
  const peer = text(loop, 'collection') === undefined && cardinality === undefined ? peerCollection(loop) : {};
  return {
    sequential: loop.isSequential === true,
    collection: text(loop, 'collection') ?? peer.collection,
    elementVariable: text(loop, 'elementVariable') ?? (peer.collection === undefined ? undefined : peer.elementVariable),
    cardinality,
    expectedCount: qtAttributes(multiInstanceAttributes, loop, activity.id ?? '', problems).expectedCount,
    ...(loop.completionCondition === undefined
      ? {}
      : {
          completionCondition: expression(loop, 'completionCondition')?.replace(/^=/, '').trim() ?? '',
          completionConditionLanguage: text(reference(loop, 'completionCondition'), 'language') ?? expressionLanguage,
        }),
  };
}

/** bpmn-engine's extension namespaces (its `js:` prefix): the one its tests declare, and the one parse.ts gives an undeclared `js:`. */
const BPMN_ENGINE_URIS = new Set(['http://paed01.github.io/bpmn-engine/schema/2017/08/bpmn', BPMN_ENGINE_URI]);

/**
 * The collection (and element variable) of a multi-instance loop written for bpmn-engine
 * (`js:collection="${environment.variables.list}"`) or Camunda 7 (`camunda:collection`), which
 * condition-dialects.ts translates to FEEL. Read only on a loop with neither a qt:collection nor a
 * loopCardinality, which was refused before: a loop with a count keeps running on its count, as it
 * was deployed.
 */
function peerCollection(loop: ModdleElement): { collection?: string | undefined; elementVariable?: string | undefined } {
  const camunda = foreignAttributes(loop, CAMUNDA_URI);
  if (camunda.collection !== undefined) return { collection: camunda.collection, elementVariable: camunda.elementVariable };
  for (const uri of BPMN_ENGINE_URIS) {
    const collection = foreignAttributes(loop, uri).collection;
    if (collection !== undefined) return { collection };
  }
  return {};
}

const CATCH_EVENT_TYPES = new Set(['bpmn:StartEvent', 'bpmn:IntermediateCatchEvent', 'bpmn:BoundaryEvent']);

function isCatchEvent(element: ModdleElement): boolean {
  return CATCH_EVENT_TYPES.has(element.$type);
}

function readFlow(flow: ModdleElement, expressionLanguage: string | undefined, problems: ErrorDetail[]): SequenceFlow {
  // Zeebe and the designer write FEEL conditions as `=expression`; the graph keeps the expression.
  const condition = expression(flow, 'conditionExpression')?.replace(/^=/, '').trim();
  const present = condition !== undefined && condition !== '';
  return {
    id: flow.id ?? '',
    name: text(flow, 'name'),
    source: reference(flow, 'sourceRef')?.id ?? '',
    target: reference(flow, 'targetRef')?.id ?? '',
    condition: present ? condition : undefined,
    conditionLanguage: present ? (text(reference(flow, 'conditionExpression'), 'language') ?? expressionLanguage) : undefined,
    probability: qtAttributes(probabilityAttribute, flow, flow.id ?? '', problems).probability,
    ...(reference(flow, 'conditionExpression') !== undefined && !present ? { conditionWithoutBody: true as const } : {}),
  };
}

/**
 * A compensation boundary event is joined to its handler by an association (an artifact of the
 * process or sub-process, not a sequence flow): the first association from it to an activity
 * marked isForCompensation.
 */
function linkCompensationHandlers(containers: ModdleElement[], nodes: Map<string, FlowNode>): void {
  for (const association of containers.flatMap((container) => children(container, 'artifacts')).filter((artifact) => artifact.$type === 'bpmn:Association')) {
    const source = nodes.get(reference(association, 'sourceRef')?.id ?? '');
    const target = nodes.get(reference(association, 'targetRef')?.id ?? '');
    if (source?.trigger?.kind === 'compensate' && source.attachedTo !== undefined && target?.forCompensation && source.compensationHandler === undefined) source.compensationHandler = target.id;
  }
}

/** Fills incoming/outgoing from the flows' own ends, which some tools write without the node-side lists. */
function linkFlows(nodes: Map<string, FlowNode>, flows: Map<string, SequenceFlow>, problems: ErrorDetail[]): void {
  for (const flow of flows.values()) {
    const source = nodes.get(flow.source);
    const target = nodes.get(flow.target);
    source?.outgoing.push(flow.id);
    target?.incoming.push(flow.id);
    if (source === undefined || target === undefined) {
      problems.push(bilingualDetail(flow.id, 'Luồng tuần tự phải nối hai nút của quy trình (sourceRef, targetRef)', 'A sequence flow must connect two nodes of the process (sourceRef, targetRef)'));
    }
  }
}

/** `<qt:document name="..." paper="true"/>` children of extensionElements. */
function documents(element: ModdleElement, problems: ErrorDetail[]): DossierComponent[] {
  const values = children(reference(element, 'extensionElements'), 'values').filter((value) => value.$type === 'qt:Document');
  const named = values
    .map((document) => ({ name: text(document, 'name')?.trim() ?? '', paper: document.paper === true, ...(document.form === true ? { form: true } : {}) }))
    .filter((document) => document.name !== '');
  if (named.length < values.length) {
    problems.push(bilingualDetail(element.id ?? '', 'qt:document phải có tên thành phần hồ sơ (name)', 'qt:document needs the name of the dossier component (name)'));
  }
  return named;
}

/** `<qt:cutProcedure code="…" name="…" how="merged"/>` children of the process (Circular 01 Art. 17.1.a). */
function cutProcedures(process: ModdleElement, problems: ErrorDetail[]): CutProcedure[] {
  const processId = process.id ?? '';
  const cut: CutProcedure[] = [];
  for (const value of children(reference(process, 'extensionElements'), 'values').filter((each) => each.$type === 'qt:CutProcedure')) {
    const name = text(value, 'name')?.trim() ?? '';
    const code = text(value, 'code')?.trim() || undefined;
    const how = text(value, 'how');
    if (name === '') problems.push(bilingualDetail(processId, 'qt:cutProcedure phải có tên thủ tục hành chính được cắt giảm (name)', 'qt:cutProcedure needs the name of the administrative procedure cut (name)'));
    if (!PROCEDURE_CUTS.some((allowed) => allowed === how)) {
      problems.push(bilingualDetail(processId, `qt:cutProcedure how = "${how ?? ''}" không hợp lệ; giá trị được phép: ${PROCEDURE_CUTS.join(', ')}`, `qt:cutProcedure how = "${how ?? ''}" is not valid; allowed values: ${PROCEDURE_CUTS.join(', ')}`));
    }
    if (name !== '' && PROCEDURE_CUTS.some((allowed) => allowed === how)) cut.push({ ...(code ? { code } : {}), name, how: how as CutProcedure['how'] });
  }
  return cut;
}

/** Reads the qt attributes a schema names from an element; each invalid one becomes a problem naming it. */
function qtAttributes<Schema extends z.ZodObject>(schema: Schema, element: ModdleElement, elementId: string, problems: ErrorDetail[]): Partial<z.output<Schema>> {
  const present = Object.fromEntries(Object.keys(schema.shape).filter((key) => element[key] !== undefined).map((key) => [key, element[key]]));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const attribute = `qt:${String(issue.path[0])}`;
    const value = present[String(issue.path[0])];
    problems.push(
      issue.code === 'invalid_value' ? bilingualDetail(elementId, `${attribute} = "${String(value)}" không hợp lệ; giá trị được phép: ${issue.values.join(', ')}`, `${attribute} = "${String(value)}" is not valid; allowed values: ${issue.values.join(', ')}`)
      : issue.code === 'invalid_format' && TEXT_FORMATS[String(issue.path[0])] ? bilingualDetail(elementId, `${attribute} = "${String(value)}" không hợp lệ: cần ${TEXT_FORMATS[String(issue.path[0])]!.vi}`, `${attribute} = "${String(value)}" is not valid: expected ${TEXT_FORMATS[String(issue.path[0])]!.en}`)
      : issue.code === 'invalid_type' && issue.expected === 'boolean' ? bilingualDetail(elementId, `${attribute} phải là true hoặc false`, `${attribute} must be true or false`)
      : !Number.isFinite(value) ? bilingualDetail(elementId, `${attribute} phải là một số`, `${attribute} must be a number`)
      : issue.code === 'too_big' ? bilingualDetail(elementId, `${attribute} = ${String(value)} không được lớn hơn ${String(issue.maximum)}`, `${attribute} = ${String(value)} must be at most ${String(issue.maximum)}`)
      : bilingualDetail(elementId, `${attribute} = ${String(value)} không được âm`, `${attribute} = ${String(value)} must not be negative`),
    );
  }
  return {};
}

function bilingualDetail(elementId: string, vi: string, en: string): ErrorDetail {
  return { elementId, message: en, messages: { vi, en } };
}

// bpmn-moddle's elements are open records; these read one property with the type it must have.

function children(owner: ModdleElement | undefined, property: string): ModdleElement[] {
  const value = owner?.[property];
  return Array.isArray(value) ? (value as ModdleElement[]) : [];
}

function reference(owner: ModdleElement | undefined, property: string): ModdleElement | undefined {
  const value = owner?.[property];
  return typeof value === 'object' && value !== null && '$type' in value ? (value as ModdleElement) : undefined;
}

function text(owner: ModdleElement | undefined, property: string): string | undefined {
  const value = owner?.[property];
  return typeof value === 'string' ? value : undefined;
}

/** The trimmed body of a bpmn:FormalExpression property, or undefined when empty. */
function expression(owner: ModdleElement, property: string): string | undefined {
  const body = text(reference(owner, property), 'body')?.trim();
  return body === '' ? undefined : body;
}
