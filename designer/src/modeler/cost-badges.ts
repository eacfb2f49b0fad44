/**
 * Each step's share of the cost of one dossier, as a badge on the diagram (diagram-js overlays):
 * where the applicant's money and hours go, at a glance (Circular 01 Art. 18 asks for the savings
 * "on the basis of the contents which have been removed or simplified"). A diagram-js module: it
 * follows the live cost (cost/live-cost.ts) and the language switch on the event bus.
 */
import type EventBus from 'diagram-js/lib/core/EventBus';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import type { Overlay } from 'diagram-js/lib/features/overlays/Overlays';
import type { ElementFigures } from '../api.ts';
import { LIVE_COST_CHANGED, liveCostModule, settled, type LiveCostEvent, type LiveCostState } from '../cost/live-cost.ts';
import { formatNumber, formatVnd } from '../format.ts';
import { translate } from '../i18n.ts';
import type { LanguageHolder } from './translate-vi.ts';

const OVERLAY_TYPE = 'qt-cost';

export class CostBadges {
  static $inject = ['eventBus', 'overlays', 'elementRegistry', 'designerLanguage'];

  private shown: LiveCostState = { status: 'idle' };

  constructor(
    eventBus: EventBus,
    private readonly overlays: Overlays,
    private readonly elementRegistry: ElementRegistry,
    private readonly language: LanguageHolder,
  ) {
    // The badges follow the figures last computed, in the language shown.
    eventBus.on<LiveCostEvent>(LIVE_COST_CHANGED, ({ state }) => this.follow(state));
    eventBus.on('i18n.changed', () => this.follow(this.shown));
  }

  private follow(state: LiveCostState): void {
    this.shown = state;
    const shown = settled(state);
    if (shown.status === 'cost') this.show(shown.cost.elements);
    else if (shown.status !== 'idle') this.clear();
  }

  clear(): void {
    this.overlays.remove({ type: OVERLAY_TYPE });
  }

  /**
   * Brings the badges to the figures of the latest analysis; steps that cost nothing get none. Only
   * what differs is touched: a large model has hundreds of badges, and drawing them all again after
   * every edit took most of the time between the edit and the figures (docs/benchmarks.md, Designer).
   */
  show(elements: readonly ElementFigures[]): void {
    const language = this.language.current;
    const stale = new Map((this.overlays.get({ type: OVERLAY_TYPE }) as Overlay[]).map((overlay) => [typeof overlay.element === 'string' ? overlay.element : overlay.element.id, overlay]));
    for (const figures of elements) {
      if (!(figures.totalVnd > 0) || !this.elementRegistry.get(figures.elementId)) continue;
      const text = formatVnd(figures.totalVnd, language);
      const title = [
        translate(language, 'costBadgeTitle'),
        `${translate(language, 'timeCost')}: ${formatNumber(figures.applicantHours, language)} ${translate(language, 'hoursPerDossier')} → ${formatVnd(figures.timeCostVnd, language)}`,
        `${translate(language, 'otherCosts')}: ${formatVnd(figures.outOfPocketVnd, language)}`,
        `${translate(language, 'fees')}: ${formatVnd(figures.feesVnd, language)}`,
      ].join('\n');
      const shown = stale.get(figures.elementId)?.html;
      stale.delete(figures.elementId);
      if (shown instanceof HTMLElement) {
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
      this.overlays.add(figures.elementId, OVERLAY_TYPE, { position: { top: -10, right: 0 }, html: badge });
    }
    for (const overlay of stale.values()) this.overlays.remove(overlay.id);
  }
}

export const costBadgesModule = {
  __depends__: [liveCostModule],
  __init__: ['costBadges'],
  costBadges: ['type', CostBadges],
};
