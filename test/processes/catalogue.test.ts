import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModdleElement } from 'bpmn-moddle';
import { describe, expect, it } from 'vitest';
import { parseBpmn } from '../../engine/bpmn/parse.ts';
import type { ProcessGraph } from '../../engine/bpmn/process-graph.ts';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { loadCatalogue, MODEL_NAMES, procedureSchema, runCatalogueEntry, staleFigures, unsourcedNumbers, type CatalogueEntry, type CatalogueRun, type ModelName } from '../../engine/catalogue/index.ts';
import { compileProcess } from '../../engine/compile/index.ts';
import { lintModelXml } from '../../engine/rules/lint.ts';

// The procedure catalogue (processes/): every folder is checked as the cost analysis and the
// engine will use it. Circular 01 Art. 16 (as-is diagrams with the agencies' lanes), Art. 17
// (to-be), Art. 18 (every figure sourced); Decree 45 Art. 11 (receipt within 08 working hours).

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../processes');
const catalogue = await loadCatalogue(root);
const graphs = new Map<string, Record<ModelName, ProcessGraph>>();
for (const entry of catalogue) {
  graphs.set(entry.folder, { 'as-is': await readProcess(entry.models['as-is']), 'to-be': await readProcess(entry.models['to-be']) });
}
const graphOf = (entry: CatalogueEntry, model: ModelName): ProcessGraph => graphs.get(entry.folder)![model];
const toBeIds = new Map(catalogue.map((entry) => [graphOf(entry, 'to-be').id, entry.folder]));

const children = (owner: ModdleElement | undefined, property: string): ModdleElement[] => {
  const value = owner?.[property];
  return Array.isArray(value) ? (value as ModdleElement[]) : [];
};
const ref = (owner: ModdleElement | undefined, property: string): ModdleElement | undefined => owner?.[property] as ModdleElement | undefined;

const SPLITS = new Set(['exclusiveGateway', 'inclusiveGateway', 'eventBasedGateway']);

/** Unweighted totals of what a model asks of the applicant and the agency (the cost model weights them by visits; here only the direction matters). */
function burden(graph: ProcessGraph) {
  const nodes = [...graph.nodes.values()];
  const sum = (attribute: 'applicantHours' | 'trips') => nodes.reduce((total, node) => total + (node.qt[attribute] ?? 0), 0);
  return {
    applicantHours: sum('applicantHours'),
    trips: sum('trips'),
    paperDocuments: nodes.reduce((total, node) => total + node.qt.documents.filter((document) => document.paper).length, 0),
    manualSteps: nodes.filter((node) => node.qt.manual ?? node.kind === 'manualTask').length,
  };
}

function allCalls(run: CatalogueRun): CatalogueRun[] {
  return run.calls.flatMap((call) => [call.run, ...allCalls(call.run)]);
}

describe('the procedure catalogue', () => {
  it('holds at least five procedures across the commune, district or province, and ministry levels', () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(5);
    const levels = new Set(catalogue.map((entry) => entry.procedure.level));
    expect(levels).toContain('commune');
    expect(levels.has('district') || levels.has('province')).toBe(true);
    expect(levels).toContain('ministry');
  });

  it('models a group of inter-connected procedures whose to-be calls other entries (Circular 01 Art. 16.4)', () => {
    const callers = catalogue.filter((entry) => [...graphOf(entry, 'to-be').nodes.values()].some((node) => node.kind === 'callActivity'));
    expect(callers.length).toBeGreaterThanOrEqual(1);
  });

  it('names only existing entries as related procedures, both ways', () => {
    const folders = new Set(catalogue.map((entry) => entry.folder));
    for (const entry of catalogue) {
      for (const related of entry.procedure.related) {
        expect(folders, `${entry.folder} → ${related}`).toContain(related);
        expect(catalogue.find((other) => other.folder === related)?.procedure.related, `${related} should name ${entry.folder} back`).toContain(entry.folder);
      }
    }
  });
});

describe.each(catalogue.map((entry) => [entry.folder, entry] as const))('%s', (folder, entry) => {
  it('has a procedure.json that matches the schema, named after its folder', () => {
    expect(procedureSchema.safeParse(entry.procedure).success).toBe(true);
    expect(entry.procedure.id).toBe(folder);
  });

  describe.each(MODEL_NAMES.map((model) => [model] as const))('%s.bpmn', (model) => {
    const xml = entry.models[model];
    const graph = graphOf(entry, model);

    it('parses without warnings', async () => {
      const { warnings } = await parseBpmn(xml);
      expect(warnings).toEqual([]);
    });

    it('is one pool whose process has lanes, every flow node in a lane', async () => {
      const { definitions } = await parseBpmn(xml);
      const roots = children(definitions, 'rootElements');
      const collaborations = roots.filter((element) => element.$type === 'bpmn:Collaboration');
      expect(collaborations).toHaveLength(1);
      const participants = children(collaborations[0], 'participants');
      expect(participants).toHaveLength(1);
      expect(ref(participants[0], 'processRef')?.id).toBe(graph.id);
      expect(roots.filter((element) => element.$type === 'bpmn:Process')).toHaveLength(1);
      const unlaned = [...graph.nodes.values()].filter((node) => node.lane === undefined).map((node) => node.id);
      expect(unlaned).toEqual([]);
      expect(new Set([...graph.nodes.values()].map((node) => node.lane)).size).toBeGreaterThanOrEqual(3);
    });

    it('has a diagram: a shape for the pool, each lane and each flow node, an edge with waypoints for each sequence flow', async () => {
      const { definitions, elementsById } = await parseBpmn(xml);
      const diagrams = children(definitions, 'diagrams');
      expect(diagrams).toHaveLength(1);
      const planeElements = children(ref(diagrams[0], 'plane'), 'planeElement');
      const shapes = new Map(planeElements.filter((element) => element.$type === 'bpmndi:BPMNShape').map((shape) => [ref(shape, 'bpmnElement')?.id, shape]));
      const edges = new Map(planeElements.filter((element) => element.$type === 'bpmndi:BPMNEdge').map((edge) => [ref(edge, 'bpmnElement')?.id, edge]));
      const lanes = Object.values(elementsById).filter((element) => element.$type === 'bpmn:Lane').map((lane) => lane.id);
      const participants = Object.values(elementsById).filter((element) => element.$type === 'bpmn:Participant').map((participant) => participant.id);
      for (const id of [...participants, ...lanes, ...graph.nodes.keys()]) {
        const bounds = ref(shapes.get(id), 'bounds');
        expect(bounds, `shape of ${id}`).toBeDefined();
        expect(Number(bounds?.width)).toBeGreaterThan(0);
      }
      for (const id of graph.flows.keys()) {
        expect(children(edges.get(id), 'waypoint').length, `waypoints of ${id}`).toBeGreaterThanOrEqual(2);
      }
    });

    it('passes the product\'s lint rules (bpmnlint recommended and the procedure rules) without errors', async () => {
      const errors = (await lintModelXml(xml)).filter((finding) => finding.severity === 'error');
      expect(errors.map(({ rule, elementId, message }) => `${rule} ${elementId}: ${message.en}`)).toEqual([]);
    });

    it('carries the process-level figures of the cost model', () => {
      const { procedure } = graph;
      expect(procedure.procedureCode).toBe(entry.procedure.procedureCode ?? `local:${entry.folder}`);
      expect(procedure.subjectsPerYear).toBeGreaterThan(0);
      expect(procedure.timesPerYear).toBeGreaterThan(0);
      expect(procedure.hourlyIncomeVnd).toBeGreaterThan(0);
      expect(procedure.publishedOnline).toBeTypeOf('boolean');
      expect(procedure.formsDownloadable).toBeTypeOf('boolean');
    });

    it('has a source in procedure.json for every qt number, and no figure the model does not use', () => {
      expect(unsourcedNumbers(entry.procedure.figures, model, graph)).toEqual([]);
      expect(staleFigures(entry.procedure.figures, model, graph)).toEqual([]);
    });

    it('gives every flow leaving a split a probability; those of an exclusive split sum to 1', () => {
      for (const node of graph.nodes.values()) {
        if (!SPLITS.has(node.kind) || node.outgoing.length < 2) continue;
        const probabilities = node.outgoing.map((id) => graph.flows.get(id)!.probability);
        expect(probabilities, `flows leaving ${node.id}`).not.toContain(undefined);
        if (node.kind !== 'inclusiveGateway') expect(probabilities.reduce((total, p) => total! + p!, 0), `flows leaving ${node.id}`).toBeCloseTo(1, 9);
      }
    });
  });

  it('asks less of the applicant in the to-be: fewer hours, trips, paper documents and manual steps', () => {
    const asIs = burden(graphOf(entry, 'as-is'));
    const toBe = burden(graphOf(entry, 'to-be'));
    expect(toBe.applicantHours).toBeLessThan(asIs.applicantHours);
    expect(toBe.trips).toBeLessThan(asIs.trips);
    expect(toBe.paperDocuments).toBeLessThan(asIs.paperDocuments);
    expect(toBe.manualSteps).toBeLessThan(asIs.manualSteps);
  });

  describe('to-be', () => {
    const graph = graphOf(entry, 'to-be');
    const nodes = [...graph.nodes.values()];

    it('is executable and compiles', () => {
      expect(graph.isExecutable).toBe(true);
      expect(() => compileProcess(graph)).not.toThrow();
    });

    it('receives the dossier within 08 working hours and issues an electronic result (Decree 45 Art. 11.4, 14)', () => {
      const receipts = nodes.filter((node) => node.kind === 'userTask' && node.qt.dueWorkingHours === 8);
      const electronic = nodes.filter((node) => node.qt.result === 'electronic' || node.qt.result === 'both');
      // A group of inter-connected procedures receives once; its called procedures issue the results.
      const calls = nodes.filter((node) => node.kind === 'callActivity');
      expect(receipts.length).toBeGreaterThanOrEqual(1);
      expect(electronic.length + calls.length).toBeGreaterThanOrEqual(1);
    });

    it('takes the dossier online and fees by online payment (Decree 45 Art. 9, 13)', () => {
      expect(nodes.some((node) => node.qt.channel === 'online')).toBe(true);
      expect(nodes.filter((node) => node.qt.channel === 'in-person').map((node) => node.id)).toEqual([]);
      for (const node of nodes.filter((each) => (each.qt.feeVnd ?? 0) > 0)) expect(node.qt.payment, `payment at ${node.id}`).toBe('online');
    });

    it('gives each exclusive split a default flow and conditions on the others', () => {
      for (const node of nodes.filter((each) => each.kind === 'exclusiveGateway' && each.outgoing.length > 1)) {
        expect(node.defaultFlow, `default flow of ${node.id}`).toBeDefined();
        for (const id of node.outgoing.filter((flow) => flow !== node.defaultFlow)) expect(graph.flows.get(id)?.condition, `condition of ${id}`).toBeDefined();
      }
    });

    it('calls only to-be models of the catalogue', () => {
      for (const node of nodes.filter((each) => each.kind === 'callActivity')) {
        expect(toBeIds.get(node.calledElement ?? ''), `${node.id} calls ${node.calledElement}`).toBeDefined();
        expect(toBeIds.get(node.calledElement ?? '')).not.toBe(folder);
      }
    });

    it('runs from start to completion on the events of run.json', async () => {
      const run = await runCatalogueEntry(entry, catalogue);
      expect(run.refused).toEqual([]);
      expect(run.instance.failure).toBeUndefined();
      expect(run.instance.status).toBe('completed');
      expect(run.instance.open).toEqual([]);
      for (const called of allCalls(run)) {
        expect(called.refused, `events of ${called.folder}/run-called.json refused`).toEqual([]);
        expect(called.instance.status, `${called.folder} called from ${folder}`).toBe('completed');
        expect(called.instance.open).toEqual([]);
      }
    });
  });
});

describe('entries called by a group', () => {
  const called = new Set(catalogue.flatMap((entry) => [...graphOf(entry, 'to-be').nodes.values()].flatMap((node) => (node.kind === 'callActivity' && node.calledElement ? [node.calledElement] : []))));
  it.each([...called].map((processId) => [toBeIds.get(processId) ?? processId] as const))('%s has a run-called.json', (folder) => {
    expect(catalogue.find((entry) => entry.folder === folder)?.run.calledEvents).toBeDefined();
  });
});
