/**
 * The semantic difference between an as-is and a to-be model (bpmn-js-differ over bpmn-moddle
 * with our qt extension, so a changed cost attribute counts as a change). What moved on the
 * diagram only is left out: Circular 01 Art. 18 asks what was "removed or simplified", not redrawn.
 */
import { diff, type DiffedElement } from 'bpmn-js-differ';
import { parseBpmn } from '../../../engine/bpmn/parse.ts';

export type DiffKind = 'removed' | 'added' | 'changed';

export interface DiffEntry {
  kind: DiffKind;
  /** The element's id in the as-is model (removed or changed). */
  asIsId?: string;
  /** The element's id in the to-be model (added or changed). */
  toBeId?: string;
  type: string;
  name: string | undefined;
  /** For a changed element: the properties that differ (`name`, `type`, `applicantHours`, `extensionElements`…). */
  attributes: string[];
}

interface ModdleElement {
  $type: string;
  id?: string;
  participants?: ModdleElement[];
  rootElements?: ModdleElement[];
  laneSets?: ModdleElement[];
}

/** The engine's own reader: the qt extension registered, a file that is not BPMN refused in both languages. */
async function definitionsOf(xml: string): Promise<ModdleElement> {
  return (await parseBpmn(xml)).definitions;
}

const ROOT_TYPES = ['bpmn:Collaboration', 'bpmn:Process'];

/**
 * A restructured procedure is the same procedure: when each model has one collaboration, one
 * participant and one process, the to-be's get the as-is ids for the diff (the catalogue names them
 * `…_as_is` and `…`), or the differ would see one whole pool removed and another added; so do
 * their lane sets.
 * Returns to-be id by aligned id, to report the to-be's own ids.
 */
function alignRoots(asIs: ModdleElement, toBe: ModdleElement): Map<string, string> {
  const aliases = new Map<string, string>();
  const align = (before: ModdleElement[], after: ModdleElement[]) => {
    const [one] = before;
    const [other] = after;
    if (before.length !== 1 || after.length !== 1 || !one?.id || !other?.id || one.id === other.id) return;
    aliases.set(one.id, other.id);
    other.id = one.id;
  };
  const roots = (definitions: ModdleElement, type: string) => (definitions.rootElements ?? []).filter((root) => root.$type === type);
  for (const type of ROOT_TYPES) align(roots(asIs, type), roots(toBe, type));
  // The lane set too (named after its process in the catalogue), so that lanes compare one by one.
  const laneSets = (definitions: ModdleElement) => roots(definitions, 'bpmn:Process').flatMap((process) => process.laneSets ?? []);
  if (roots(asIs, 'bpmn:Process').length === 1 && roots(toBe, 'bpmn:Process').length === 1) align(laneSets(asIs), laneSets(toBe));
  const participants = (definitions: ModdleElement) => (definitions.rootElements ?? []).filter((root) => root.$type === 'bpmn:Collaboration').flatMap((root) => root.participants ?? []);
  align(participants(asIs), participants(toBe));
  return aliases;
}

/** `processRef.laneSets[0].lanes[1].flowNodeRef[2]` → `processRef`; `$type` → `type`. */
function attributeName(path: string): string {
  const head = path.split(/[.[]/)[0] ?? path;
  return head === '$type' ? 'type' : head;
}

/**
 * What a pool or lane holds changes with every task added, removed or moved, and those are
 * reported on the tasks themselves: a participant or lane counts as changed for its own
 * properties only (its name, say).
 */
const CONTENTS: Record<string, string> = { 'bpmn:Participant': 'processRef', 'bpmn:Lane': 'flowNodeRef' };

function ownAttributes(element: DiffedElement, paths: string[]): string[] {
  const names = [...new Set(paths.map(attributeName))];
  return names.filter((name) => name !== CONTENTS[element.$type]);
}

/** Containers with no drawing of their own: a difference shows on what they hold. */
const UNDRAWN = new Set(['bpmn:Collaboration', 'bpmn:LaneSet']);

export async function semanticDiff(asIsXml: string, toBeXml: string): Promise<DiffEntry[]> {
  const [asIs, toBe] = await Promise.all([definitionsOf(asIsXml), definitionsOf(toBeXml)]);
  const aliases = alignRoots(asIs, toBe);
  const toBeId = (id: string) => aliases.get(id) ?? id;
  const result = diff(asIs, toBe);
  const entries: DiffEntry[] = [];
  // The differ files a pool's process under the participant's id: the key is the id drawn.
  const drawnType = (element: DiffedElement) => (element.$type === 'bpmn:Process' ? 'bpmn:Participant' : element.$type);
  for (const [id, element] of Object.entries(result._removed)) {
    entries.push({ kind: 'removed', asIsId: id, type: drawnType(element), name: element.name, attributes: [] });
  }
  for (const [id, element] of Object.entries(result._added)) {
    entries.push({ kind: 'added', toBeId: toBeId(id), type: drawnType(element), name: element.name, attributes: [] });
  }
  for (const [id, { model, attrs }] of Object.entries(result._changed)) {
    const attributes = ownAttributes(model, Object.keys(attrs));
    if (attributes.length > 0) entries.push({ kind: 'changed', asIsId: id, toBeId: toBeId(id), type: model.$type, name: model.name, attributes });
  }
  // _layoutChanged is left out on purpose: a shape moved or resized changes nothing for the applicant.
  return entries.filter((entry) => !UNDRAWN.has(entry.type));
}
