/**
 * The unsaved drawing kept in the browser's storage, so that a crash, a closed tab or a reload
 * loses nothing: with it, which model it belongs to (its id and the version it was based on, or
 * none for a model never saved), so recovering it saves onto the right model.
 */

/** Which model a draft is a change of. */
export interface DraftIdentity {
  modelId: string | undefined;
  baseVersion: number | undefined;
  name: string;
  stage: 'as-is' | 'to-be';
}

export interface Draft extends DraftIdentity {
  xml: string;
  /** ISO time of the last autosave, shown in the offer to recover. */
  savedAt: string;
}

/** The part of `window.localStorage` a draft needs, so the logic runs without a browser too. */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const DRAFT_KEY = 'quytrinh.designer.draft';

export function writeDraft(storage: DraftStorage, identity: DraftIdentity, xml: string, now = new Date()): void {
  const draft: Draft = { ...identity, xml, savedAt: now.toISOString() };
  storage.setItem(DRAFT_KEY, JSON.stringify(draft));
}

const isOptional = (value: unknown, type: 'string' | 'number') => value === undefined || value === null || typeof value === type;

/** The stored draft, or nothing when there is none or what is stored is not one (another version of the designer, a hand edit). */
export function readDraft(storage: DraftStorage): Draft | undefined {
  let value: unknown;
  try {
    value = JSON.parse(storage.getItem(DRAFT_KEY) ?? 'null');
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const draft = value as Record<string, unknown>;
  const valid =
    typeof draft.xml === 'string' &&
    draft.xml.length > 0 &&
    typeof draft.name === 'string' &&
    (draft.stage === 'as-is' || draft.stage === 'to-be') &&
    typeof draft.savedAt === 'string' &&
    !Number.isNaN(Date.parse(draft.savedAt)) &&
    isOptional(draft.modelId, 'string') &&
    isOptional(draft.baseVersion, 'number');
  if (!valid) return undefined;
  return {
    modelId: (draft.modelId as string | null) ?? undefined,
    baseVersion: (draft.baseVersion as number | null) ?? undefined,
    name: draft.name as string,
    stage: draft.stage as Draft['stage'],
    xml: draft.xml as string,
    savedAt: draft.savedAt as string,
  };
}

export function clearDraft(storage: DraftStorage): void {
  storage.removeItem(DRAFT_KEY);
}
