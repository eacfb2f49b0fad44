/**
 * The modeler's two view tools the toolbar switches: the token simulation (bpmn-js-token-simulation:
 * a user starts tokens at a start event and watches them walk the model, before deploying it) and
 * the minimap (diagram-js-minimap). Each can also change from inside the canvas (the simulation's
 * "T" key, the minimap's own button), so the toolbar follows their events rather than its clicks.
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import type { Box } from './diagram-elements.ts';

export interface ViewTools {
  simulation: boolean;
  minimap: boolean;
}

interface EventBus {
  on(event: string, callback: (event: { active?: boolean; open?: boolean }) => void): void;
  off(event: string, callback: (event: { active?: boolean; open?: boolean }) => void): void;
}

interface ZoomingCanvas {
  zoom(): number;
  viewbox(): { outer: Box };
  viewbox(box: Box): void;
}

interface StartEvent {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** bpmn-js-token-simulation shows its play buttons from zoom 0.5 on (its ContextPads' overlays). */
const SIMULATION_MIN_ZOOM = 0.5;
const SIMULATION_LEFT_MARGIN_PX = 120;

/**
 * A whole procedure fitted to the screen is smaller than that: turning the simulation on zooms in
 * on the first start event, so its play button is there to press.
 */
function RevealStartEvents(eventBus: EventBus, canvas: ZoomingCanvas, elementRegistry: { filter(match: (element: StartEvent) => boolean): StartEvent[] }) {
  eventBus.on('tokenSimulation.toggleMode', (event) => {
    if (event.active !== true || canvas.zoom() >= SIMULATION_MIN_ZOOM) return;
    const [start] = elementRegistry.filter((element) => element.type === 'bpmn:StartEvent');
    if (!start) return;
    const { outer } = canvas.viewbox();
    const width = outer.width / SIMULATION_MIN_ZOOM;
    const height = outer.height / SIMULATION_MIN_ZOOM;
    // The start event at the left, clear of the simulation's own palette, halfway down.
    canvas.viewbox({ x: start.x - SIMULATION_LEFT_MARGIN_PX / SIMULATION_MIN_ZOOM, y: start.y + start.height / 2 - height / 2, width, height });
  });
}
RevealStartEvents.$inject = ['eventBus', 'canvas', 'elementRegistry'];

export const revealStartEventsModule = { __init__: ['revealStartEvents'], revealStartEvents: ['type', RevealStartEvents] };

export const toggleSimulation = (modeler: Modeler) => modeler.get<{ toggleMode(active?: boolean): void }>('toggleMode').toggleMode();
export const toggleMinimap = (modeler: Modeler) => modeler.get<{ toggle(open?: boolean): void }>('minimap').toggle();

export function watchViewTools(modeler: Modeler, onChange: (update: (tools: ViewTools) => ViewTools) => void): () => void {
  const eventBus = modeler.get<EventBus>('eventBus');
  const simulation = (event: { active?: boolean }) => onChange((tools) => ({ ...tools, simulation: event.active === true }));
  const minimap = (event: { open?: boolean }) => onChange((tools) => ({ ...tools, minimap: event.open === true }));
  eventBus.on('tokenSimulation.toggleMode', simulation);
  eventBus.on('minimap.toggle', minimap);
  return () => {
    eventBus.off('tokenSimulation.toggleMode', simulation);
    eventBus.off('minimap.toggle', minimap);
  };
}
