/**
 * The checks on the diagram: each element a finding names gets a marker (red outline for an
 * error, amber for a warning, designer.css) and a badge whose tooltip lists what is wrong, so the
 * user sees the fault where it is, not only in the list.
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import type { LintFinding } from '../api.ts';
import { translate, type Language } from '../i18n.ts';
import { findDiagramElement } from '../modeler/diagram-elements.ts';

const OVERLAY_TYPE = 'qt-check';
const MARKERS = { error: 'qt-check-error', warn: 'qt-check-warning' } as const;

interface Overlays {
  add(elementId: string, type: string, overlay: { position: { top?: number; left?: number }; scale?: { min?: number; max?: number }; html: HTMLElement }): string;
  remove(filter: { type: string }): void;
}

interface MarkingCanvas {
  addMarker(elementId: string, marker: string): void;
  removeMarker(elementId: string, marker: string): void;
}

interface ElementRegistry {
  getAll(): Array<{ id: string }>;
}

export function clearCheckMarkers(modeler: Modeler): void {
  modeler.get<Overlays>('overlays').remove({ type: OVERLAY_TYPE });
  const canvas = modeler.get<MarkingCanvas>('canvas');
  for (const element of modeler.get<ElementRegistry>('elementRegistry').getAll()) {
    canvas.removeMarker(element.id, MARKERS.error);
    canvas.removeMarker(element.id, MARKERS.warn);
  }
}

/** Replaces the marks with those of the latest findings; an element with an error shows as an error. */
export function showCheckMarkers(modeler: Modeler, findings: readonly LintFinding[], language: Language): void {
  clearCheckMarkers(modeler);
  const byElement = new Map<string, LintFinding[]>();
  for (const finding of findings) {
    const element = findDiagramElement(modeler, finding.elementId);
    if (element) byElement.set(element.id, [...(byElement.get(element.id) ?? []), finding]);
  }
  const canvas = modeler.get<MarkingCanvas>('canvas');
  const overlays = modeler.get<Overlays>('overlays');
  for (const [elementId, found] of byElement) {
    const severity = found.some((finding) => finding.severity === 'error') ? 'error' : 'warn';
    canvas.addMarker(elementId, MARKERS[severity]);
    const badge = document.createElement('div');
    badge.className = `qt-check-badge ${severity}`;
    badge.dataset.elementId = elementId;
    badge.textContent = '!';
    badge.title = found.map((finding) => `${translate(language, finding.severity === 'error' ? 'checkError' : 'checkWarning')}: ${finding.message[language]}`).join('\n');
    // The top left corner, clear of the cost badge on the right.
    // Never smaller than its size: a whole procedure on screen is drawn at a third of it.
    overlays.add(elementId, OVERLAY_TYPE, { position: { top: -9, left: -9 }, scale: { min: 1 }, html: badge });
  }
}
