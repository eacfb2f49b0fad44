/**
 * The two diagrams of the compare view: bpmn-js NavigatedViewers side by side whose viewboxes
 * follow each other (pan or zoom one, the other shows the same area at the same scale), with the
 * diff's markers on each.
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import qt from '../../../engine/bpmn/qt-moddle.json';
import type { DiffMarker, DiffMarkers } from './change-list.ts';

export type Side = 'asIs' | 'toBe';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Shape extends Partial<Box> {
  id: string;
  type?: string;
  waypoints?: Array<{ x: number; y: number }>;
  businessObject?: { processRef?: { id?: string } };
}

interface Canvas {
  viewbox(): Box & { scale: number; inner: Box; outer: Box };
  viewbox(box: Box): void;
  addMarker(element: Shape | string, marker: string): void;
  getRootElement(): Shape;
}

interface EventBus {
  on<Event>(event: string, callback: (event: Event) => void): void;
  off<Event>(event: string, callback: (event: Event) => void): void;
}

interface ElementRegistry {
  get(id: string): Shape | undefined;
  filter(match: (element: Shape) => boolean): Shape[];
}

const MARKER_CLASS: Record<DiffMarker, string> = { removed: 'diff-removed', added: 'diff-added', changed: 'diff-changed' };

/** Room around the diagrams when they are first shown, in screen pixels. */
const MARGIN = 24;

export class ComparedViewers {
  private readonly viewers: Record<Side, NavigatedViewer>;
  private following = false;
  private readonly listeners: Array<() => void> = [];

  /** `onElementClick` hears a click on an element of either diagram (not on the empty canvas). */
  constructor(containers: Record<Side, HTMLElement>, onElementClick: (side: Side, elementId: string) => void) {
    this.viewers = {
      asIs: new NavigatedViewer({ container: containers.asIs, moddleExtensions: { qt } }),
      toBe: new NavigatedViewer({ container: containers.toBe, moddleExtensions: { qt } }),
    };
    this.follow('asIs', 'toBe');
    this.follow('toBe', 'asIs');
    for (const side of ['asIs', 'toBe'] as const) {
      const eventBus = this.viewers[side].get<EventBus>('eventBus');
      const onClick = ({ element }: { element: Shape }) => {
        if (element !== this.canvas(side).getRootElement()) onElementClick(side, element.id);
      };
      eventBus.on('element.click', onClick);
      this.listeners.push(() => eventBus.off('element.click', onClick));
    }
  }

  /** Shows a pair, marks it, and fits both diagrams in view at one scale. */
  async show(asIsXml: string, toBeXml: string, markers: DiffMarkers): Promise<void> {
    await Promise.all([this.viewers.asIs.importXML(asIsXml), this.viewers.toBe.importXML(toBeXml)]);
    this.mark('asIs', markers.asIs);
    this.mark('toBe', markers.toBe);
    this.fit();
  }

  /** Brings an element to the middle of its diagram (the other follows) and selects it on each side given. */
  focus(ids: Partial<Record<Side, string>>): void {
    const [first] = this.select(ids);
    if (!first) return;
    const canvas = this.canvas(first.side);
    const box = bounds(first.element);
    const view = canvas.viewbox();
    canvas.viewbox({ x: box.x + box.width / 2 - view.width / 2, y: box.y + box.height / 2 - view.height / 2, width: view.width, height: view.height });
  }

  /** Selects the elements given on each side (nothing on a side given none), the to-be's first. */
  select(ids: Partial<Record<Side, string>>): Array<{ side: Side; element: Shape }> {
    const found = (['toBe', 'asIs'] as const).flatMap((side) => {
      const id = ids[side];
      const element = id === undefined ? undefined : this.find(side, id);
      return element ? [{ side, element }] : [];
    });
    for (const side of ['asIs', 'toBe'] as const) {
      const selected = found.filter((entry) => entry.side === side).map((entry) => entry.element);
      this.viewers[side].get<{ select(elements: Shape[]): void }>('selection').select(selected);
    }
    return found;
  }

  destroy(): void {
    for (const stop of this.listeners) stop();
    this.viewers.asIs.destroy();
    this.viewers.toBe.destroy();
  }

  private canvas(side: Side): Canvas {
    return this.viewers[side].get<Canvas>('canvas');
  }

  /** An element by id; a process id stands for the pool (participant) that draws it. */
  private find(side: Side, id: string): Shape | undefined {
    const registry = this.viewers[side].get<ElementRegistry>('elementRegistry');
    const element = registry.get(id) ?? registry.filter((candidate) => candidate.businessObject?.processRef?.id === id)[0];
    return element && element !== this.canvas(side).getRootElement() ? element : undefined;
  }

  private mark(side: Side, markers: ReadonlyMap<string, DiffMarker>): void {
    for (const [id, marker] of markers) {
      const element = this.find(side, id);
      if (!element) continue;
      this.canvas(side).addMarker(element, MARKER_CLASS[marker]);
      // A pool or lane keeps its own fill, or the colour would flood everything it holds.
      if (element.type === 'bpmn:Participant' || element.type === 'bpmn:Lane') this.canvas(side).addMarker(element, 'diff-container');
    }
  }

  /**
   * Moving one viewbox moves the other to the same area. diagram-js fires the change
   * synchronously, so the flag stops the follower's own change (and the leader's
   * rounding) from coming back.
   */
  private follow(leader: Side, follower: Side): void {
    const eventBus = this.viewers[leader].get<EventBus>('eventBus');
    const onChange = () => {
      if (this.following) return;
      this.following = true;
      try {
        const { x, y, scale } = this.canvas(leader).viewbox();
        // The same top left corner at the same scale, whatever each container's size.
        const at = (side: Side): Box => {
          const { outer } = this.canvas(side).viewbox();
          return { x, y, width: outer.width / scale, height: outer.height / scale };
        };
        this.canvas(follower).viewbox(at(follower));
        // diagram-js reads the scale rounded to 1/1000: the leader takes it too, so both match exactly.
        this.canvas(leader).viewbox(at(leader));
      } finally {
        this.following = false;
      }
    };
    eventBus.on('canvas.viewbox.changed', onChange);
    this.listeners.push(() => eventBus.off('canvas.viewbox.changed', onChange));
  }

  /** Both diagrams whole and centred, at the scale the larger one needs (never above 1:1). */
  private fit(): void {
    const asIs = this.canvas('asIs').viewbox();
    const toBe = this.canvas('toBe').viewbox();
    const boxes = [asIs.inner, toBe.inner].filter((box) => box.width > 0 && box.height > 0);
    if (boxes.length === 0) return;
    const x = Math.min(...boxes.map((box) => box.x));
    const y = Math.min(...boxes.map((box) => box.y));
    const width = Math.max(...boxes.map((box) => box.x + box.width)) - x;
    const height = Math.max(...boxes.map((box) => box.y + box.height)) - y;
    const { outer } = asIs;
    const scale = Math.min((outer.width - 2 * MARGIN) / width, (outer.height - 2 * MARGIN) / height, 1);
    // Centred: the room the scale leaves over goes equally to both sides.
    const [viewWidth, viewHeight] = [outer.width / scale, outer.height / scale];
    this.canvas('asIs').viewbox({ x: x - (viewWidth - width) / 2, y: y - (viewHeight - height) / 2, width: viewWidth, height: viewHeight });
  }
}

/** A shape's box, or the box around a connection's waypoints. */
function bounds(element: Shape): Box {
  if (element.waypoints && element.waypoints.length > 0) {
    const xs = element.waypoints.map((point) => point.x);
    const ys = element.waypoints.map((point) => point.y);
    return { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
  }
  return { x: element.x ?? 0, y: element.y ?? 0, width: element.width ?? 0, height: element.height ?? 0 };
}
