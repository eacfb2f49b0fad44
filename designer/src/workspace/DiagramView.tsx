import { useCallback, useRef, useState } from 'react';
import { DeployedDiagram, type Decorations } from '../diagram/DeployedDiagram.tsx';
import type { Language } from '../i18n.ts';
import { workspaceText } from './messages.ts';
import { workspaceApi } from './workspace-api.ts';

/**
 * The deployed definition the dossier runs on, read-only, its active elements marked
 * (`ws-active`): where the dossier stands, as the instance's tokens say.
 */
export function DiagramView({ instanceId, fallbackActive, language }: { instanceId: string; fallbackActive: string[]; language: Language }) {
  // The instance's own tokens, once loaded; the fallback stands in for an instance without any.
  const tokens = useRef<string[]>([]);
  // Read when the diagram is decorated; a new array at each render must not reload it.
  const fallback = useRef(fallbackActive);
  fallback.current = fallbackActive;
  const [active, setActive] = useState<string[]>([]);

  // The language only words a failure: changing it does not reload the diagram.
  const loadXml = useCallback(async () => {
    const instance = await workspaceApi.instance(language, instanceId);
    tokens.current = instance.activeElementIds;
    return workspaceApi.definitionXml(language, instance.definitionKey, instance.version);
  }, [instanceId]);
  const decorate = useCallback(({ canvas, registry }: Decorations) => {
    const shown = (tokens.current.length > 0 ? tokens.current : fallback.current).filter((id) => registry.get(id));
    for (const id of shown) canvas.addMarker(id, 'ws-active');
    setActive(shown);
  }, []);

  return <DeployedDiagram loadXml={loadXml} decorate={decorate} failedText={workspaceText(language, 'diagramUnavailable')} testId="dossier-diagram" classPrefix="ws-diagram" dataActive={active.join(' ')} />;
}
