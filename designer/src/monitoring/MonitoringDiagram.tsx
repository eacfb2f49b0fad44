import { useEffect, useRef, useState } from 'react';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';

/** The parts of bpmn-js's viewer the monitoring screens draw with. */
export interface DiagramElement {
  id: string;
  type: string;
  businessObject: { name?: string };
  incoming?: Array<{ id: string; source: { id: string } }>;
  outgoing?: Array<{ id: string; target: { id: string } }>;
  /** A connection's ends. */
  source?: { id: string };
  target?: { id: string };
}
export interface Decorations {
  canvas: { zoom(level: 'fit-viewport'): void; addMarker(elementId: string, marker: string): void };
  overlays: { add(elementId: string, overlay: { position: { top?: number; right?: number; bottom?: number; left?: number }; html: HTMLElement }): string };
  registry: { get(id: string): DiagramElement | undefined; getAll(): DiagramElement[] };
}

/**
 * A deployed definition, read-only (bpmn-js NavigatedViewer: pan and zoom), laid out to fit and
 * then decorated by the screen: markers and overlays. `decorate` runs again when its inputs change.
 */
export function MonitoringDiagram({ loadXml, decorate, failedText, testId }: { loadXml: () => Promise<string>; decorate: (decorations: Decorations) => void; failedText: string; testId: string }) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!containerRef.current) return;
    const viewer = new NavigatedViewer({ container: containerRef.current });
    let disposed = false;
    setFailed(false);
    void (async () => {
      try {
        const xml = await loadXml();
        if (disposed) return;
        await viewer.importXML(xml);
        const decorations: Decorations = { canvas: viewer.get('canvas'), overlays: viewer.get('overlays'), registry: viewer.get('elementRegistry') };
        decorations.canvas.zoom('fit-viewport');
        decorate(decorations);
      } catch {
        if (!disposed) setFailed(true);
      }
    })();
    return () => {
      disposed = true;
      viewer.destroy();
    };
  }, [loadXml, decorate]);

  return (
    <div className="mon-diagram-frame">
      <div className="mon-diagram" ref={containerRef} data-testid={testId} />
      {failed ? <p className="muted">{failedText}</p> : null}
    </div>
  );
}

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
