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

interface Overlays {
  add(elementId: string, type: string, overlay: { position: { top?: number; right?: number; left?: number; bottom?: number }; html: HTMLElement }): string;
  remove(filter: { type: string }): void;
}

interface ElementRegistry {
  get(id: string): unknown;
}

export function clearCostBadges(modeler: Modeler): void {
  modeler.get<Overlays>('overlays').remove({ type: OVERLAY_TYPE });
}

/** Replaces the badges with the figures of the latest analysis; steps that cost nothing get none. */
export function showCostBadges(modeler: Modeler, elements: readonly ElementFigures[], language: Language): void {
  clearCostBadges(modeler);
  const overlays = modeler.get<Overlays>('overlays');
  const registry = modeler.get<ElementRegistry>('elementRegistry');
  for (const figures of elements) {
    if (!(figures.totalVnd > 0) || !registry.get(figures.elementId)) continue;
    const badge = document.createElement('div');
    badge.className = 'qt-cost-badge';
    badge.dataset.elementId = figures.elementId;
    badge.textContent = formatVnd(figures.totalVnd, language);
    badge.title = [
      translate(language, 'costBadgeTitle'),
      `${translate(language, 'timeCost')}: ${formatNumber(figures.applicantHours, language)} ${translate(language, 'hoursPerDossier')} → ${formatVnd(figures.timeCostVnd, language)}`,
      `${translate(language, 'otherCosts')}: ${formatVnd(figures.outOfPocketVnd, language)}`,
      `${translate(language, 'fees')}: ${formatVnd(figures.feesVnd, language)}`,
    ].join('\n');
    // Straddling the top right corner of the shape, clear of its name.
    overlays.add(figures.elementId, OVERLAY_TYPE, { position: { top: -10, right: 0 }, html: badge });
  }
}
