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
/**
 * The facts that depend only on what is stored, not on the moment asked: kept per dossier in
 * `dossier_indicator_facts` (migration 0040) by triggers. The others read `q.now` and are looked up
 * when asked, for the dossiers still in progress only (report.ts).
 */
export const STORED_FACTS: ReadonlyArray<[name: string, sql: string]> = FACTS.filter(([, sql]) => !sql.includes('q.now'));
export const LIVE_FACTS: ReadonlyArray<[name: string, sql: string]> = FACTS.filter(([, sql]) => sql.includes('q.now'));
