/**
 * The designer's bpmn-js modeler: Vietnamese (or English) labels, the BPMN properties panel with
 * our qt group, and the qt moddle extension, so that the cost attributes read, edit and save; the
 * token simulation (walking the model before deploying it), the minimap and element search that
 * reads Vietnamese names. Our own parts on the diagram are diagram-js modules too: the live cost and
 * its badges (cost/live-cost.ts, cost-badges.ts), the check markers (checks/check-markers.ts) and
 * zooming (view-tools.ts), each a service the injector builds with diagram-js's own types.
 */
import Modeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import TokenSimulationModule from 'bpmn-js-token-simulation';
import MinimapModule from 'diagram-js-minimap';
import 'bpmn-js-token-simulation/assets/css/bpmn-js-token-simulation.css';
import 'diagram-js-minimap/assets/diagram-js-minimap.css';
import type EventBus from 'diagram-js/lib/core/EventBus';
import qt from '../../../engine/bpmn/qt-moddle.json';
import { qtPropertiesProviderModule } from './qt-properties-provider.ts';
import { translateModule, type LanguageHolder } from './translate-vi.ts';
import { simulationVietnameseModule } from './simulation-vi.ts';
import { vietnameseSearchModule } from './vietnamese-search.ts';
import { viewToolsModule } from './view-tools.ts';
import { checkMarkersModule } from '../checks/check-markers.ts';
import { costBadgesModule } from './cost-badges.ts';

export interface DesignerModelerOptions {
  canvas: HTMLElement;
  propertiesPanel: HTMLElement;
  language: LanguageHolder;
}

export function createDesignerModeler({ canvas, propertiesPanel, language }: DesignerModelerOptions): Modeler {
  return new Modeler({
    container: canvas,
    // The same descriptor the engine reads with (engine/bpmn/qt-extension.ts): qt:* attributes
    // become typed properties, and a model saved here reads the same on the server.
    moddleExtensions: { qt },
    propertiesPanel: {
      parent: propertiesPanel,
      // Our group open from the start: it is what the designer is for.
      layout: { groups: { general: { open: true }, qt: { open: true } } },
    },
    // Keyboard shortcuts (Ctrl+Z, Ctrl+F, Delete…) need no binding: diagram-js 15 binds them to the
    // canvas, which takes the focus when clicked (its `keyboard.bindTo` is gone and logs an error).
    minimap: { open: false },
    additionalModules: [
      translateModule(language),
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      qtPropertiesProviderModule,
      TokenSimulationModule,
      simulationVietnameseModule,
      viewToolsModule,
      MinimapModule,
      vietnameseSearchModule,
      costBadgesModule,
      checkMarkersModule,
    ],
  });
}

/** After `language.current` changed: redraw what bpmn-js built with the old words. */
export function refreshModelerLanguage(modeler: Modeler, container: HTMLElement): void {
  const eventBus = modeler.get<EventBus>('eventBus');
  eventBus.fire('i18n.changed'); // the palette rebuilds its entries
  eventBus.fire('propertiesPanel.providersChanged'); // the properties panel renders again
  // The search box labels itself once, when the modeler starts.
  const translate = modeler.get<(template: string) => string>('translate');
  container.querySelector('.djs-search-input input')?.setAttribute('aria-label', translate('Search in diagram'));
  // So does the minimap's button, each time it opens or closes.
  const minimapOpen = modeler.get<{ isOpen(): boolean }>('minimap').isOpen();
  container.querySelector('.djs-minimap .toggle')?.setAttribute('title', translate(minimapOpen ? 'Close minimap' : 'Open minimap'));
}
