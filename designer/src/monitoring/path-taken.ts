import type { DiagramElement } from '../diagram/DeployedDiagram.tsx';

/**
 * The elements and flows of the path an instance took: the elements it entered or acted on, the
 * gateways and events between two of them (the engine passes through those without stopping, so
 * its history does not name them), the start events, and the flows joining two of them.
 */
export function pathTaken(elements: DiagramElement[], visited: Iterable<string>, started: boolean): Set<string> {
  const on = new Set(visited);
  const byId = new Map(elements.map((element) => [element.id, element]));
  if (started) for (const element of elements) if (element.type === 'bpmn:StartEvent' && element.outgoing?.some((flow) => on.has(flow.target.id) || byId.get(flow.target.id)?.type.endsWith('Gateway'))) on.add(element.id);
  // Pass-through nodes: repeated, since gateways may follow one another.
  for (let round = 0; round < 5; round += 1) {
    for (const element of elements) {
      if (on.has(element.id) || !/Gateway|Event$/.test(element.type) || element.type === 'bpmn:StartEvent') continue;
      const from = element.incoming?.some((flow) => on.has(flow.source.id));
      const to = element.outgoing?.some((flow) => on.has(flow.target.id));
      if (from && to) on.add(element.id);
    }
  }
  for (const element of elements) {
    if (element.type === 'bpmn:SequenceFlow' && element.source && element.target && on.has(element.source.id) && on.has(element.target.id)) on.add(element.id);
  }
  return on;
}
