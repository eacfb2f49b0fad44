import type { FlowNode, ProcessGraph } from '../bpmn/process-graph.ts';

/**
 * Link events (BPMN 2.0 §10.4.5, "Link"): a pair of off-page connectors. A link throw event's
 * token continues at the link catch event of the same name in the same process or sub-process,
 * as if a sequence flow joined them; neither waits. So the compiler adds that flow, named
 * `<throw>/link` (a slash cannot occur in a BPMN id), on a copy of the graph, and compiles both
 * events as pass-through. A throw with no catch of its name in its scope, with several, or with
 * outgoing flows of its own (a link throw has none) is refused naming it.
 */
export interface LinkedEvents {
  graph: ProcessGraph;
  problems: Array<{ elementId: string; vi: string; en: string }>;
}

export function linkedEvents(source: ProcessGraph): LinkedEvents {
  const links = [...source.nodes.values()].filter((node) => node.trigger?.kind === 'link');
  const throws = links.filter((node) => node.kind === 'intermediateThrowEvent');
  if (throws.length === 0) return { graph: source, problems: [] };
  const catchesByName = new Map<string, FlowNode[]>();
  for (const node of links) {
    if (node.kind !== 'intermediateCatchEvent' || node.trigger?.kind !== 'link') continue;
    const key = `${node.parentId ?? ''}\u0000${node.trigger.linkName}`;
    catchesByName.set(key, [...(catchesByName.get(key) ?? []), node]);
  }
  const nodes = new Map(source.nodes);
  const flows = new Map(source.flows);
  const problems: LinkedEvents['problems'] = [];
  for (const thrown of throws) {
    const name = thrown.trigger?.kind === 'link' ? thrown.trigger.linkName : '';
    const catches = catchesByName.get(`${thrown.parentId ?? ''}\u0000${name}`) ?? [];
    if (thrown.outgoing.length > 0) {
      problems.push({ elementId: thrown.id, vi: `Sự kiện ném liên kết ${thrown.id} không được có luồng ra: dòng chảy tiếp tục ở sự kiện bắt liên kết "${name}"`, en: `Link throw event ${thrown.id} must have no outgoing flow: the flow continues at the link catch event "${name}"` });
      continue;
    }
    if (catches.length !== 1) {
      const where = thrown.parentId === undefined ? 'quy trình' : `tiến trình con ${thrown.parentId}`;
      const whereEn = thrown.parentId === undefined ? 'the process' : `sub-process ${thrown.parentId}`;
      problems.push(
        catches.length === 0
          ? { elementId: thrown.id, vi: `Sự kiện ném liên kết ${thrown.id}: không có sự kiện bắt liên kết "${name}" nào trong ${where}`, en: `Link throw event ${thrown.id}: there is no link catch event "${name}" in ${whereEn}` }
          : { elementId: thrown.id, vi: `Sự kiện ném liên kết ${thrown.id}: có ${catches.length} sự kiện bắt liên kết "${name}" trong ${where} (${catches.map((each) => each.id).join(', ')}), cần đúng một`, en: `Link throw event ${thrown.id}: ${whereEn} has ${catches.length} link catch events "${name}" (${catches.map((each) => each.id).join(', ')}), it needs exactly one` },
      );
      continue;
    }
    const caught = catches[0]!;
    const flowId = `${thrown.id}/link`;
    flows.set(flowId, { id: flowId, source: thrown.id, target: caught.id });
    nodes.set(thrown.id, { ...thrown, outgoing: [flowId] });
    nodes.set(caught.id, { ...(nodes.get(caught.id) ?? caught), incoming: [...(nodes.get(caught.id) ?? caught).incoming, flowId] });
  }
  return { graph: { ...source, nodes, flows }, problems };
}
