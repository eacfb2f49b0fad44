import type Modeler from 'bpmn-js/lib/Modeler';
import { translate, type Language } from '../i18n.ts';
import { toggleMinimap, toggleSimulation, type ViewTools } from './view-tools.ts';

interface ViewToolButtonsProps {
  tools: ViewTools;
  language: Language;
  modeler: () => Modeler | null;
}

/** The toolbar's switches for the token simulation and the minimap, pressed while on. */
export function ViewToolButtons({ tools, language, modeler }: ViewToolButtonsProps) {
  const use = (toggle: (modeler: Modeler) => void) => () => {
    const current = modeler();
    if (current) toggle(current);
  };
  return (
    <>
      <button type="button" aria-pressed={tools.simulation} title={translate(language, 'simulationHint')} onClick={use(toggleSimulation)}>
        {translate(language, 'simulation')}
      </button>
      <button type="button" aria-pressed={tools.minimap} onClick={use(toggleMinimap)}>
        {translate(language, 'minimap')}
      </button>
    </>
  );
}
