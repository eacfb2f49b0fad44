import { useEffect, useRef, useState } from 'react';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';

/** The parts of bpmn-js's viewer the screens decorate a deployed diagram with. */
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
 * then decorated by the screen (markers, overlays): the monitoring screens and the officials'
 * dossier view. It loads again when `loadXml` or `decorate` changes, so callers keep them stable.
 * `classPrefix` names the frame (`<prefix>-frame`) and the canvas (`<prefix>`, plus `failed`).
 */
export function DeployedDiagram({ loadXml, decorate, failedText, testId, classPrefix, dataActive }: {
  loadXml: () => Promise<string>;
  decorate: (decorations: Decorations) => void;
  failedText: string;
  testId: string;
  classPrefix: string;
  /** Exposed as `data-active` for tests and assistive tools: the elements marked active. */
  dataActive?: string;
}) {
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
    <div className={`${classPrefix}-frame`}>
      <div className={failed ? `${classPrefix} failed` : classPrefix} ref={containerRef} data-testid={testId} data-active={dataActive} />
      {failed ? <p className="muted">{failedText}</p> : null}
    </div>
  );
}
