/**
 * The checks on the diagram: each element a finding names gets a marker (red outline for an
 * error, amber for a warning, designer.css) and a badge whose tooltip lists what is wrong, so the
 * user sees the fault where it is, not only in the list. A diagram-js module (`checkMarkers`).
 */
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import type { LintFinding } from '../api.ts';
import { translate, type Language } from '../i18n.ts';
import { findDiagramElement } from '../modeler/diagram-elements.ts';

const OVERLAY_TYPE = 'qt-check';
const MARKERS = { error: 'qt-check-error', warn: 'qt-check-warning' } as const;

export class CheckMarkers {
  static $inject = ['overlays', 'canvas', 'elementRegistry'];

  constructor(
    private readonly overlays: Overlays,
    private readonly canvas: Canvas,
    private readonly elementRegistry: ElementRegistry,
  ) {}

  clear(): void {
    this.overlays.remove({ type: OVERLAY_TYPE });
    for (const element of this.elementRegistry.getAll()) {
      this.canvas.removeMarker(element.id, MARKERS.error);
      this.canvas.removeMarker(element.id, MARKERS.warn);
    }
  }

  /** Replaces the marks with those of the latest findings; an element with an error shows as an error. */
  show(findings: readonly LintFinding[], language: Language): void {
    this.clear();
    const byElement = new Map<string, LintFinding[]>();
    for (const finding of findings) {
      const element = findDiagramElement(this.elementRegistry, finding.elementId);
      if (element) byElement.set(element.id, [...(byElement.get(element.id) ?? []), finding]);
    }
    for (const [elementId, found] of byElement) {
      const severity = found.some((finding) => finding.severity === 'error') ? 'error' : 'warn';
      this.canvas.addMarker(elementId, MARKERS[severity]);
      const badge = document.createElement('div');
      badge.className = `qt-check-badge ${severity}`;
      badge.dataset.elementId = elementId;
      badge.textContent = '!';
      badge.title = found.map((finding) => `${translate(language, finding.severity === 'error' ? 'checkError' : 'checkWarning')}: ${finding.message[language]}`).join('\n');
      // The top left corner, clear of the cost badge on the right.
      // Never smaller than its size: a whole procedure on screen is drawn at a third of it.
      this.overlays.add(elementId, OVERLAY_TYPE, { position: { top: -9, left: -9 }, scale: { min: 1 }, html: badge });
    }
  }
}

export const checkMarkersModule = {
  __init__: ['checkMarkers'],
  checkMarkers: ['type', CheckMarkers],
};
