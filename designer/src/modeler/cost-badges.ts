/**
 * Each step's share of the cost of one dossier, as a badge on the diagram (diagram-js overlays):
 * where the applicant's money and hours go, at a glance (Circular 01 Art. 18 asks for the savings
 * "on the basis of the contents which have been removed or simplified").
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import type { ElementFigures } from '../api.ts';
import { formatNumber, formatVnd } from '../format.ts';
import { translate, type Language } from '../i18n.ts';

const OVERLAY_TYPE = 'qt-cost';

interface Overlay {
  id: string;
  element: { id: string };
  html: HTMLElement;
}

interface Overlays {
  add(elementId: string, type: string, overlay: { position: { top?: number; right?: number; left?: number; bottom?: number }; html: HTMLElement }): string;
  get(filter: { type: string }): Overlay[];
  remove(filter: { type: string } | string): void;
}

interface ElementRegistry {
  get(id: string): unknown;
}

export function clearCostBadges(modeler: Modeler): void {
  modeler.get<Overlays>('overlays').remove({ type: OVERLAY_TYPE });
}

/**
 * Brings the badges to the figures of the latest analysis; steps that cost nothing get none. Only
 * what differs is touched: a large model has hundreds of badges, and drawing them all again after
 * every edit took most of the time between the edit and the figures (docs/benchmarks.md, Designer).
 */
export function showCostBadges(modeler: Modeler, elements: readonly ElementFigures[], language: Language): void {
  const overlays = modeler.get<Overlays>('overlays');
  const registry = modeler.get<ElementRegistry>('elementRegistry');
  const stale = new Map(overlays.get({ type: OVERLAY_TYPE }).map((overlay) => [overlay.element.id, overlay]));
  for (const figures of elements) {
    if (!(figures.totalVnd > 0) || !registry.get(figures.elementId)) continue;
    const text = formatVnd(figures.totalVnd, language);
    const title = [
      translate(language, 'costBadgeTitle'),
      `${translate(language, 'timeCost')}: ${formatNumber(figures.applicantHours, language)} ${translate(language, 'hoursPerDossier')} → ${formatVnd(figures.timeCostVnd, language)}`,
      `${translate(language, 'otherCosts')}: ${formatVnd(figures.outOfPocketVnd, language)}`,
      `${translate(language, 'fees')}: ${formatVnd(figures.feesVnd, language)}`,
    ].join('\n');
    const shown = stale.get(figures.elementId)?.html;
    stale.delete(figures.elementId);
    if (shown) {
      if (shown.textContent !== text) shown.textContent = text;
      if (shown.title !== title) shown.title = title;
      continue;
    }
    const badge = document.createElement('div');
    badge.className = 'qt-cost-badge';
    badge.dataset.elementId = figures.elementId;
    badge.textContent = text;
    badge.title = title;
    // Straddling the top right corner of the shape, clear of its name.
    overlays.add(figures.elementId, OVERLAY_TYPE, { position: { top: -10, right: 0 }, html: badge });
  }
  for (const overlay of stale.values()) overlays.remove(overlay.id);
}
