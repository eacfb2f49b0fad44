/**
 * The compare view's list of changes and the markers on both diagrams: the differ's semantic diff
 * (every element, flows included) reconciled with the server's cost comparison (the flow nodes that
 * carry a cost, each with its effect: Circular 01 Art. 18 asks the savings "on the basis of the
 * contents which have been removed or simplified"). Pure functions, no bpmn-js.
 */
import type { ElementChange } from '../../../engine/cost/restructuring.ts';
import type { DiffEntry, DiffKind } from './semantic-diff.ts';

export interface CostEffect {
  perDossierVnd: number;
  perYearVnd: number;
  /** How the server paired the two sides: the same id, else the same name. */
  matchedBy?: 'id' | 'name';
  /** What the server found different: `qt:applicantHours`, `documents`, `visits`… */
  differences: string[];
}

export interface ChangeRow {
  kind: DiffKind;
  asIsId?: string;
  toBeId?: string;
  name: string | undefined;
  /** The BPMN type, when the differ saw the element. */
  type?: string;
  /** The properties the differ found different. */
  attributes: string[];
  cost?: CostEffect;
}

export type DiffMarker = DiffKind;

export interface DiffMarkers {
  /** As-is element id → `removed` or `changed`. */
  asIs: Map<string, DiffMarker>;
  /** To-be element id → `added` or `changed`. */
  toBe: Map<string, DiffMarker>;
}

/** The server's own key (engine/cost/restructuring.ts): case, spacing and Unicode form do not count. */
function nameKey(name: string | undefined): string | undefined {
  const key = name?.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, ' ').trim();
  return key === '' ? undefined : key;
}

function costEffect(change: ElementChange): CostEffect {
  return {
    perDossierVnd: change.costEffectVnd,
    perYearVnd: change.costEffectPerYearVnd,
    ...(change.matchedBy ? { matchedBy: change.matchedBy } : {}),
    differences: change.differences,
  };
}

/** A row of the diff stands for the server's change when it is the same element on the same side. */
function sameElement(row: ChangeRow, change: ElementChange): boolean {
  return (row.asIsId !== undefined && row.asIsId === change.asIs?.elementId) || (row.toBeId !== undefined && row.toBeId === change.toBe?.elementId);
}

/** Failing the ids, a removed row matches a change with an as-is side of the same name, an added row one with a to-be side. */
function sameName(row: ChangeRow, change: ElementChange): boolean {
  const key = nameKey(row.name);
  if (key === undefined) return false;
  if (row.kind !== 'added' && nameKey(change.asIs?.name) === key) return true;
  return row.kind !== 'removed' && nameKey(change.toBe?.name) === key;
}

/**
 * One row per changed element: the differ's entries, each given the server's cost effect (matched by
 * id, then by name). A pair the server matched by name (a task given a new id) is one changed row
 * with both ids, not a removal and an addition; a change only the server sees (a step now visited
 * less often) gets a row of its own. Rows with the largest yearly effect first.
 */
export function reconcileChanges(diff: readonly DiffEntry[], serverChanges: readonly ElementChange[]): ChangeRow[] {
  let rows: ChangeRow[] = diff.map((entry) => ({ ...entry }));
  for (const change of serverChanges) {
    const byId = rows.filter((row) => row.cost === undefined && sameElement(row, change));
    const matched = byId.length > 0 ? byId : rows.filter((row) => row.cost === undefined && sameName(row, change)).slice(0, change.change === 'changed' ? 2 : 1);
    const effect = costEffect(change);
    if (matched.length === 0) {
      rows.push({ kind: change.change, asIsId: change.asIs?.elementId, toBeId: change.toBe?.elementId, name: change.name, attributes: [], cost: effect });
      continue;
    }
    const [first, ...others] = matched as [ChangeRow, ...ChangeRow[]];
    if (change.change === 'changed') {
      // The differ's removal and addition of one renamed-id element become one changed row.
      first.kind = 'changed';
      first.asIsId = change.asIs?.elementId ?? first.asIsId;
      first.toBeId = change.toBe?.elementId ?? first.toBeId;
      first.name = change.name ?? first.name;
      first.attributes = [...new Set(matched.flatMap((row) => row.attributes))];
      rows = rows.filter((row) => !others.includes(row));
    }
    first.cost = effect;
  }
  return rows.sort(byImportance);
}

const KIND_ORDER: Record<DiffKind, number> = { removed: 0, added: 1, changed: 2 };

/** Cost first (largest yearly effect), then steps before flows and lanes, then removed, added, changed. */
function byImportance(a: ChangeRow, b: ChangeRow): number {
  const effect = Math.abs(b.cost?.perYearVnd ?? 0) - Math.abs(a.cost?.perYearVnd ?? 0);
  if (effect !== 0) return effect;
  const costed = Number(b.cost !== undefined) - Number(a.cost !== undefined);
  if (costed !== 0) return costed;
  const connection = (row: ChangeRow) => Number(/Flow$|Association$|bpmn:Lane$|bpmn:Participant$/.test(row.type ?? ''));
  return connection(a) - connection(b) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
}

/** Red on the as-is for what was removed, green on the to-be for what was added, amber on both for what changed. */
export function diffMarkers(rows: readonly ChangeRow[]): DiffMarkers {
  const markers: DiffMarkers = { asIs: new Map(), toBe: new Map() };
  for (const row of rows) {
    if (row.asIsId !== undefined && row.kind !== 'added') markers.asIs.set(row.asIsId, row.kind);
    if (row.toBeId !== undefined && row.kind !== 'removed') markers.toBe.set(row.toBeId, row.kind);
  }
  return markers;
}

/** A row's identity in the list (the same element can be removed on one side and added on the other under one id). */
export function rowKey(row: ChangeRow): string {
  return `${row.kind}|${row.asIsId ?? ''}|${row.toBeId ?? ''}`;
}

/** The row an element clicked on one diagram belongs to, if it changed. */
export function rowOfElement(rows: readonly ChangeRow[], side: 'asIs' | 'toBe', elementId: string): ChangeRow | undefined {
  return rows.find((row) => (side === 'asIs' ? row.kind !== 'added' && row.asIsId === elementId : row.kind !== 'removed' && row.toBeId === elementId));
}

/** What differs on a changed row, once: the differ's properties, then what the server's cost model saw. */
export function differencesOf(row: ChangeRow): string[] {
  // The server says `kind` where the differ says `type`, and prefixes the qt attributes.
  const server = (row.cost?.differences ?? []).map((difference) => (difference === 'kind' ? 'type' : difference.replace(/^qt:/, '')));
  return [...new Set([...row.attributes, ...server])];
}
