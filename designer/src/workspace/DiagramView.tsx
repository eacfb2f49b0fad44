import { useEffect, useRef, useState } from 'react';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import type { Language } from '../i18n.ts';
import { workspaceText } from './messages.ts';
import { workspaceApi } from './workspace-api.ts';

interface Canvas {
  zoom(level: 'fit-viewport'): void;
  addMarker(elementId: string, marker: string): void;
}

/**
 * The deployed definition the dossier runs on, read-only, its active elements marked
 * (`ws-active`): where the dossier stands, as the instance's tokens say.
 */
export function DiagramView({ instanceId, fallbackActive, language }: { instanceId: string; fallbackActive: string[]; language: Language }) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const [active, setActive] = useState<string[]>([]);

  useEffect(() => {
    if (!containerRef.current) return;
    const viewer = new NavigatedViewer({ container: containerRef.current });
    let disposed = false;
    setFailed(false);
    void (async () => {
      try {
        const instance = await workspaceApi.instance(language, instanceId);
        const xml = await workspaceApi.definitionXml(language, instance.definitionKey, instance.version);
        if (disposed) return;
        await viewer.importXML(xml);
        const canvas = viewer.get<Canvas>('canvas');
        canvas.zoom('fit-viewport');
        const elementIds = instance.activeElementIds.length > 0 ? instance.activeElementIds : fallbackActive;
        const registry = viewer.get<{ get(id: string): unknown }>('elementRegistry');
        const shown = elementIds.filter((id) => registry.get(id));
        for (const id of shown) canvas.addMarker(id, 'ws-active');
        setActive(shown);
      } catch {
        if (!disposed) setFailed(true);
      }
    })();
    return () => {
      disposed = true;
      viewer.destroy();
    };
    // The language only words a failure; reloading the diagram for it is not needed.
  }, [instanceId]);

  return (
    <div className="ws-diagram-frame">
      <div className={failed ? 'ws-diagram failed' : 'ws-diagram'} ref={containerRef} data-testid="dossier-diagram" data-active={active.join(' ')} />
      {failed ? <p className="muted">{workspaceText(language, 'diagramUnavailable')}</p> : null}
    </div>
  );
}
