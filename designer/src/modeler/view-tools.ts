/**
 * The modeler's view tools the toolbar and the canvas switch: zooming in, out and to the whole
 * diagram (a diagram-js module, `designerZoom`), the token simulation (bpmn-js-token-simulation: a
 * user starts tokens at a start event and watches them walk the model, before deploying it) and
 * the minimap (diagram-js-minimap). Each can also change from inside the canvas (Ctrl and the
 * mouse wheel, the simulation's "T" key, the minimap's own button), so the controls follow their
 * events rather than their clicks.
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type EventBus from 'diagram-js/lib/core/EventBus';
import type ZoomScroll from 'diagram-js/lib/navigation/zoomscroll/ZoomScroll';
import type { Rect } from 'diagram-js/lib/util/Types';

export interface ViewTools {
  simulation: boolean;
  minimap: boolean;
  /** The canvas's scale: 1 is the diagram's own size. */
  zoom: number;
}

/** bpmn-js-token-simulation shows its play buttons from zoom 0.5 on (its ContextPads' overlays). */
const SIMULATION_MIN_ZOOM = 0.5;
const SIMULATION_LEFT_MARGIN_PX = 120;

/**
 * A whole procedure fitted to the screen is smaller than that: turning the simulation on zooms in
 * on the first start event, so its play button is there to press.
 */
function RevealStartEvents(eventBus: EventBus, canvas: Canvas, elementRegistry: ElementRegistry) {
  eventBus.on<{ active?: boolean }>('tokenSimulation.toggleMode', (event) => {
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

/** The margin around a fitted diagram, in screen pixels. */
const FIT_MARGIN_PX = 16;

/** Zooming by steps (diagram-js's own, as Ctrl and the mouse wheel do) and to the whole diagram. */
export class DesignerZoom {
  static $inject = ['canvas', 'zoomScroll'];

  constructor(
    private readonly canvas: Canvas,
    private readonly zoomScroll: ZoomScroll,
  ) {}

  zoomIn(): void {
    this.zoomScroll.stepZoom(1);
  }

  zoomOut(): void {
    this.zoomScroll.stepZoom(-1);
  }

  /** The whole diagram in view, right of the palette that floats over the canvas, never larger than its own size. */
  fit(): void {
    this.fitTo((box, outer, left) => Math.min((outer.width - left - FIT_MARGIN_PX) / box.width, (outer.height - 2 * FIT_MARGIN_PX) / box.height, 1));
  }

  /**
   * Every lane from top to bottom, read from the left (the start) and scrolled to the right: a
   * whole catalogue procedure fitted to a 1366 px screen is drawn at a fifth to a third of its size,
   * too small to read its steps' names; its lanes' height mostly is not.
   */
  fitHeight(): void {
    this.fitTo((box, outer) => Math.min((outer.height - 2 * FIT_MARGIN_PX) / box.height, 1));
  }

  private fitTo(scaleFor: (box: Rect, outer: { width: number; height: number }, left: number) => number): void {
    const { inner, outer } = this.canvas.viewbox();
    if (inner.width === 0 || inner.height === 0) return;
    const left = (this.canvas.getContainer().querySelector<HTMLElement>('.djs-palette')?.offsetWidth ?? 0) + 24;
    const scale = scaleFor(inner, outer, left);
    this.canvas.viewbox({ x: inner.x - left / scale, y: inner.y - FIT_MARGIN_PX / scale, width: outer.width / scale, height: outer.height / scale });
  }
}

export const viewToolsModule = {
  __init__: ['revealStartEvents'],
  revealStartEvents: ['type', RevealStartEvents],
  designerZoom: ['type', DesignerZoom],
};

export const toggleSimulation = (modeler: Modeler) => modeler.get<{ toggleMode(active?: boolean): void }>('toggleMode').toggleMode();
export const toggleMinimap = (modeler: Modeler) => modeler.get<{ toggle(open?: boolean): void }>('minimap').toggle();

export function watchViewTools(modeler: Modeler, onChange: (update: (tools: ViewTools) => ViewTools) => void): () => void {
  const eventBus = modeler.get<EventBus>('eventBus');
  const simulation = (event: { active?: boolean }) => onChange((tools) => ({ ...tools, simulation: event.active === true }));
  const minimap = (event: { open?: boolean }) => onChange((tools) => ({ ...tools, minimap: event.open === true }));
  const zoom = (event: { viewbox: { scale: number } }) => onChange((tools) => ({ ...tools, zoom: event.viewbox.scale }));
  eventBus.on('tokenSimulation.toggleMode', simulation);
  eventBus.on('minimap.toggle', minimap);
  eventBus.on('canvas.viewbox.changed', zoom);
  return () => {
    eventBus.off('tokenSimulation.toggleMode', simulation as never);
    eventBus.off('minimap.toggle', minimap as never);
    eventBus.off('canvas.viewbox.changed', zoom as never);
  };
}
