import { digitization } from './digitization.ts';
import type { Indicator, IndicatorGroup } from './indicator.ts';
import { onlineService } from './online-service.ts';
import { progress } from './progress.ts';
import { satisfaction } from './satisfaction.ts';
import { transparency } from './transparency.ts';

/** Decision 766's five groups, in its order, as far as this product's records carry them (docs/indicators.md). */
export const INDICATOR_GROUPS: readonly IndicatorGroup[] = [transparency, progress, onlineService, satisfaction, digitization];
export const INDICATORS: readonly Indicator[] = INDICATOR_GROUPS.flatMap((group) => group.indicators);
/** Every group's per-dossier facts, by name (names are unique across groups). */
export const FACTS: ReadonlyArray<[name: string, sql: string]> = INDICATOR_GROUPS.flatMap((group) => Object.entries(group.facts));
