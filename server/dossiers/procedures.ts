import type { Knex } from 'knex';
import type { FlowNode, ProcessGraph } from '../../engine/bpmn/process-graph.ts';
import { makeFormCode } from '../../engine/codes/form-code.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { compiledDefinition, latestDefinition, type DefinitionRow } from '../execution/definitions.ts';
import { componentSlots, type ComponentSlot } from './components.ts';

/**
 * What a deployed procedure offers the portal: its application form, the components to upload,
 * and the agencies that receive it. A procedure is open to online submission when its start
 * event carries the application form (`qt:form`, docs/dossiers.md).
 */
export interface OpenProcedure {
  definitionId: string;
  key: string;
  version: number;
  procedureCode: string;
  name: string;
  graph: ProcessGraph;
  /** The start event holding the application form. */
  start: FlowNode;
  formCode: string;
  /** The applicant's first task, completed by the submission itself (it waits for it), if the model has one. */
  submissionTask: FlowNode | undefined;
  components: ComponentSlot[];
  /** The lane of the receipt check: the agencies it is mapped to receive the dossier. */
  receiptLane: string | undefined;
}

/** The open procedure of a definition, or undefined when it takes no online applications. */
export function openProcedure(definition: Pick<DefinitionRow, 'id' | 'key' | 'version' | 'name'>, graph: ProcessGraph): OpenProcedure | undefined {
  const start = graph.topLevel.map((id) => graph.nodes.get(id)!).find((node) => node.kind === 'startEvent' && node.qt.form !== undefined);
  const procedureCode = graph.procedure.procedureCode;
  if (!start || !procedureCode) return undefined;
  const submissionTask = firstApplicantTask(graph, start);
  const receipt = [...graph.nodes.values()].find((node) => node.qt.dossierStep === 'receipt');
  return {
    definitionId: definition.id,
    key: definition.key,
    version: definition.version,
    procedureCode,
    name: definition.name ?? graph.name ?? definition.key,
    graph,
    start,
    formCode: makeFormCode({ procedureCode, symbol: start.qt.form! }),
    submissionTask,
    components: componentSlots(submissionTask ?? start),
    receiptLane: receipt?.lane,
  };
}

/**
 * The applicant task the submission completes: the first user task reached from the start event
 * through gateways alone that has the application form. A model whose applicant declares and
 * submits in a step of their lane (the catalogue draws it so, for the cost of the applicant's
 * hours) is thereby carried one step on by the submission.
 */
function firstApplicantTask(graph: ProcessGraph, start: FlowNode): FlowNode | undefined {
  const seen = new Set<string>();
  const queue = [...start.outgoing];
  while (queue.length > 0) {
    const flow = graph.flows.get(queue.shift()!)!;
    if (seen.has(flow.target)) continue;
    seen.add(flow.target);
    const node = graph.nodes.get(flow.target)!;
    if (node.kind === 'userTask' && node.qt.form === start.qt.form) return node;
    if (node.kind.endsWith('Gateway')) queue.push(...node.outgoing);
  }
  return undefined;
}

/** The latest deployed version of each key that takes online applications. */
export async function openProcedures(db: Database): Promise<OpenProcedure[]> {
  const latest = await db('process_definitions').distinctOn('key').orderBy([{ column: 'key' }, { column: 'version', order: 'desc' }]).select<Array<Pick<DefinitionRow, 'id' | 'key' | 'version' | 'name'>>>('id', 'key', 'version', 'name');
  const open: OpenProcedure[] = [];
  for (const definition of latest) {
    const procedure = openProcedure(definition, (await compiledDefinition(definition.id, db)).graph);
    if (procedure) open.push(procedure);
  }
  return open;
}

export async function openProcedureOf(db: Database | Knex.Transaction, key: string): Promise<OpenProcedure> {
  const definition = await latestDefinition(db, key).catch((error: unknown) => {
    if (error instanceof QuyTrinhError && error.kind === 'not-found') throw notOpen(key);
    throw error;
  });
  const procedure = openProcedure(definition, (await compiledDefinition(definition.id, db)).graph);
  if (!procedure) throw notOpen(key);
  return procedure;
}

function notOpen(key: string): QuyTrinhError {
  return new QuyTrinhError('not-found', 'procedure.not-open', {
    vi: `Thủ tục ${key} chưa được triển khai để nộp hồ sơ trực tuyến`,
    en: `Procedure ${key} is not deployed for online applications`,
  }, [{ field: 'body.procedureKey', message: 'no deployed procedure with an application form under this key' }]);
}

export interface ReceivingAgency {
  code: string;
  name: string;
}

/** The agencies that receive a procedure's dossiers: those its receipt lane is mapped to, or names (issue 9's lane mapping). */
export async function receivingAgencies(db: Database | Knex.Transaction, procedure: OpenProcedure): Promise<ReceivingAgency[]> {
  const lane = procedure.receiptLane;
  if (lane === undefined) return [];
  return db('agencies')
    .where('code', lane)
    .orWhere('name', lane)
    .orWhereIn('code', db('agency_lanes').where({ lane }).select('agency_code'))
    .orderBy('code')
    .select<ReceivingAgency[]>('code', 'name');
}
