/**
 * A BPMN diagram as a vector figure of the filed report (Circular 01 Art. 16.3.c and 17.3.c: the
 * reviewing agency draws the as-is diagram and the electronic flowchart after restructuring). The
 * figure is drawn from the model's own diagram interchange (BPMN DI: each shape's bounds, each
 * edge's waypoints), the layout the designer saved, with pdfkit's vector primitives: no browser,
 * no raster, and the same on the command line as through the API. Shapes carry their names
 * only, never their ids; the changes of the comparison are coloured as on screen.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { parseBpmn } from '../../engine/bpmn/parse.ts';
import type { ChangeKind } from '../../engine/cost/restructuring.ts';
import type { PdfFont } from '../printing/pdf-document.ts';

interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DiagramShape extends Bounds {
  /** The BPMN type, e.g. `bpmn:UserTask`. */
  type: string;
  elementId: string;
  name: string | undefined;
  /** Where the label goes when the model says (events, gateways, data). */
  label?: Bounds | undefined;
  expanded: boolean;
  /** Event definitions of an event (`bpmn:TimerEventDefinition`…), for its inner mark. */
  marks: string[];
}

export interface DiagramEdge {
  type: string;
  points: Array<{ x: number; y: number }>;
  name: string | undefined;
  label?: Bounds | undefined;
}

export interface DiagramLayout {
  shapes: DiagramShape[];
  edges: DiagramEdge[];
  bounds: Bounds;
}

/** The first diagram of a model as shapes and edges, or undefined when the model has no layout. */
export async function readDiagramLayout(xml: string): Promise<DiagramLayout | undefined> {
  const { definitions } = await parseBpmn(xml);
  const diagrams = (definitions.diagrams as ModdleElement[] | undefined) ?? [];
  const plane = diagrams[0]?.plane as ModdleElement | undefined;
  const elements = (plane?.planeElement as ModdleElement[] | undefined) ?? [];
  const shapes: DiagramShape[] = [];
  const edges: DiagramEdge[] = [];
  for (const element of elements) {
    const semantic = element.bpmnElement as ModdleElement | undefined;
    if (!semantic) continue;
    const label = (element.label as ModdleElement | undefined)?.bounds as Bounds | undefined;
    const name = typeof semantic.name === 'string' && semantic.name.trim() !== '' ? semantic.name.trim() : typeof semantic.text === 'string' ? semantic.text : undefined;
    if (element.$type === 'bpmndi:BPMNShape' && element.bounds) {
      const { x, y, width, height } = element.bounds as Bounds;
      const marks = ((semantic.eventDefinitions as ModdleElement[] | undefined) ?? []).map((definition) => definition.$type);
      shapes.push({ type: semantic.$type, elementId: semantic.id ?? '', name, x, y, width, height, ...(label ? { label: box(label) } : {}), expanded: element.isExpanded === true, marks });
    } else if (element.$type === 'bpmndi:BPMNEdge') {
      const points = ((element.waypoint as Array<{ x: number; y: number }> | undefined) ?? []).map(({ x, y }) => ({ x, y }));
      if (points.length >= 2) edges.push({ type: semantic.$type, points, name, ...(label ? { label: box(label) } : {}) });
    }
  }
  if (shapes.length === 0) return undefined;
  const xs = [...shapes.flatMap((shape) => [shape.x, shape.x + shape.width]), ...edges.flatMap((edge) => edge.points.map((point) => point.x))];
  const ys = [...shapes.flatMap((shape) => [shape.y, shape.y + shape.height]), ...edges.flatMap((edge) => edge.points.map((point) => point.y))];
  const bounds = { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
  // Containers first, so the steps are drawn over their pool and lanes.
  const depth = (shape: DiagramShape) => (shape.type === 'bpmn:Participant' ? 0 : shape.type === 'bpmn:Lane' ? 1 : shape.expanded ? 2 : 3);
  shapes.sort((a, b) => depth(a) - depth(b));
  return { shapes, edges, bounds };
}

function box({ x, y, width, height }: Bounds): Bounds {
  return { x, y, width, height };
}

const COLOURS = { stroke: '#222222', text: '#111111', pool: '#fafafa', removed: '#fde2e1', added: '#dff3e3', changed: '#fff1cc' };

/** The BPMN size of a figure's text (bpmn-js draws 12 px), never below legibility when zoomed in a reader. */
const LABEL_SIZE = 11;

/**
 * Draws a layout into the box given, scaled to fit (never above 1:1), and returns the height used.
 * `marks` colours changed elements as the compare view does: removed red, added green, changed amber.
 */
export function drawDiagram(document: PDFKit.PDFDocument, layout: DiagramLayout, area: Bounds, font: (name: PdfFont) => void, marks: ReadonlyMap<string, ChangeKind> = new Map()): number {
  const scale = Math.min(area.width / Math.max(layout.bounds.width, 1), area.height / Math.max(layout.bounds.height, 1), 1);
  const left = area.x + (area.width - layout.bounds.width * scale) / 2;
  const X = (x: number) => left + (x - layout.bounds.x) * scale;
  const Y = (y: number) => area.y + (y - layout.bounds.y) * scale;
  const size = Math.max(LABEL_SIZE * scale, 3);
  const line = Math.max(scale, 0.4);

  const text = (value: string, bounds: Bounds, options: { align?: 'center' | 'left'; valign?: 'middle' | 'top'; bold?: boolean } = {}) => {
    font(options.bold ? 'bold' : 'regular');
    document.fontSize(size).fillColor(COLOURS.text);
    const width = Math.max(bounds.width * scale - 4 * scale, 8);
    const height = document.heightOfString(value, { width, align: options.align ?? 'center' });
    const top = options.valign === 'top' ? Y(bounds.y) + 3 * scale : Y(bounds.y) + (bounds.height * scale - height) / 2;
    document.text(value, X(bounds.x) + 2 * scale, top, { width, align: options.align ?? 'center', lineGap: 0 });
  };
  /** The label of an event, gateway or data object: where the model puts it, else under the shape. */
  const outsideLabel = (shape: DiagramShape) => {
    if (!shape.name) return;
    const bounds = shape.label ?? { x: shape.x - 30, y: shape.y + shape.height + 4, width: shape.width + 60, height: 14 };
    text(shape.name, { ...bounds, width: Math.max(bounds.width, 90), x: bounds.x - Math.max(0, 90 - bounds.width) / 2 }, { valign: 'top' });
  };
  const fillOf = (shape: DiagramShape, fallback: string) => {
    const mark = marks.get(shape.elementId);
    return mark ? COLOURS[mark] : fallback;
  };

  document.save();
  for (const shape of layout.shapes) {
    const x = X(shape.x);
    const y = Y(shape.y);
    const width = shape.width * scale;
    const height = shape.height * scale;
    document.lineWidth(line).strokeColor(COLOURS.stroke);
    if (shape.type === 'bpmn:Participant' || shape.type === 'bpmn:Lane') {
      document.rect(x, y, width, height).fillAndStroke(shape.type === 'bpmn:Participant' ? COLOURS.pool : '#ffffff', COLOURS.stroke);
      if (shape.name) {
        // The pool's or lane's name runs up its left edge, as in the designer.
        font('bold');
        document.fontSize(size).fillColor(COLOURS.text);
        document.save();
        document.rotate(-90, { origin: [x, y + height] });
        document.text(shape.name, x, y + height + 2 * scale, { width: height, align: 'center', lineBreak: true, height: 28 * scale });
        document.restore();
      }
    } else if (/Event$/.test(shape.type)) {
      const radius = Math.min(width, height) / 2;
      const cx = x + width / 2;
      const cy = y + height / 2;
      const end = shape.type === 'bpmn:EndEvent';
      document.lineWidth(end ? line * 3 : line).circle(cx, cy, radius).fillAndStroke(fillOf(shape, '#ffffff'), COLOURS.stroke);
      if (/Intermediate|Boundary/.test(shape.type)) document.lineWidth(line).circle(cx, cy, radius * 0.8).stroke();
      if (shape.marks.includes('bpmn:TimerEventDefinition')) {
        document.circle(cx, cy, radius * 0.55).stroke();
        document.moveTo(cx, cy).lineTo(cx, cy - radius * 0.45).moveTo(cx, cy).lineTo(cx + radius * 0.3, cy).stroke();
      } else if (shape.marks.includes('bpmn:MessageEventDefinition')) {
        const w = radius * 1.0;
        const h = radius * 0.7;
        document.rect(cx - w / 2, cy - h / 2, w, h).stroke();
        document.moveTo(cx - w / 2, cy - h / 2).lineTo(cx, cy).lineTo(cx + w / 2, cy - h / 2).stroke();
      }
      outsideLabel(shape);
    } else if (/Gateway$/.test(shape.type)) {
      const cx = x + width / 2;
      const cy = y + height / 2;
      document.polygon([cx, y], [x + width, cy], [cx, y + height], [x, cy]).fillAndStroke(fillOf(shape, '#ffffff'), COLOURS.stroke);
      const arm = Math.min(width, height) * 0.2;
      document.lineWidth(line * 2.5);
      if (shape.type === 'bpmn:ExclusiveGateway') document.moveTo(cx - arm, cy - arm).lineTo(cx + arm, cy + arm).moveTo(cx + arm, cy - arm).lineTo(cx - arm, cy + arm).stroke();
      else if (shape.type === 'bpmn:ParallelGateway') document.moveTo(cx, cy - arm * 1.3).lineTo(cx, cy + arm * 1.3).moveTo(cx - arm * 1.3, cy).lineTo(cx + arm * 1.3, cy).stroke();
      else if (shape.type === 'bpmn:InclusiveGateway') document.circle(cx, cy, arm * 1.2).stroke();
      outsideLabel(shape);
    } else if (shape.type === 'bpmn:TextAnnotation') {
      document.moveTo(x + 10 * scale, y).lineTo(x, y).lineTo(x, y + height).lineTo(x + 10 * scale, y + height).stroke();
      if (shape.name) text(shape.name, shape, { align: 'left' });
    } else if (shape.type === 'bpmn:DataObjectReference' || shape.type === 'bpmn:DataStoreReference') {
      document.rect(x, y, width, height).fillAndStroke('#ffffff', COLOURS.stroke);
      outsideLabel(shape);
    } else {
      // Tasks, call activities and sub-processes: a rounded box with the name inside.
      const call = shape.type === 'bpmn:CallActivity';
      document.lineWidth(call ? line * 3 : line).roundedRect(x, y, width, height, 10 * scale).fillAndStroke(fillOf(shape, '#ffffff'), COLOURS.stroke);
      if (shape.name) text(shape.name, shape, shape.expanded ? { align: 'left', valign: 'top', bold: true } : {});
      if (/SubProcess$/.test(shape.type) && !shape.expanded) {
        const s = 12 * scale;
        const sx = x + width / 2 - s / 2;
        const sy = y + height - s - 2 * scale;
        document.lineWidth(line).rect(sx, sy, s, s).moveTo(sx + s / 2, sy + 2 * scale).lineTo(sx + s / 2, sy + s - 2 * scale).moveTo(sx + 2 * scale, sy + s / 2).lineTo(sx + s - 2 * scale, sy + s / 2).stroke();
      }
    }
  }
  for (const edge of layout.edges) {
    const points = edge.points.map((point) => [X(point.x), Y(point.y)] as const);
    document.lineWidth(line).strokeColor(COLOURS.stroke);
    if (edge.type === 'bpmn:MessageFlow') document.dash(4 * scale, { space: 3 * scale });
    else if (edge.type === 'bpmn:Association' || edge.type === 'bpmn:DataInputAssociation' || edge.type === 'bpmn:DataOutputAssociation') document.dash(1.5 * scale, { space: 2 * scale });
    document.moveTo(...points[0]!);
    for (const point of points.slice(1)) document.lineTo(...point);
    document.stroke().undash();
    if (edge.type === 'bpmn:SequenceFlow' || edge.type === 'bpmn:MessageFlow' || edge.type === 'bpmn:DataOutputAssociation' || edge.type === 'bpmn:DataInputAssociation') {
      const [tipX, tipY] = points.at(-1)!;
      const [fromX, fromY] = points.at(-2)!;
      const angle = Math.atan2(tipY - fromY, tipX - fromX);
      const length = 8 * scale;
      const spread = 0.4;
      document
        .polygon([tipX, tipY], [tipX - length * Math.cos(angle - spread), tipY - length * Math.sin(angle - spread)], [tipX - length * Math.cos(angle + spread), tipY - length * Math.sin(angle + spread)])
        .fill(COLOURS.stroke);
    }
    if (edge.name) {
      const middle = edge.points[Math.floor((edge.points.length - 1) / 2)]!;
      text(edge.name, edge.label ?? { x: middle.x - 45, y: middle.y - 16, width: 90, height: 14 }, { valign: 'top' });
    }
  }
  document.restore();
  return layout.bounds.height * scale;
}
