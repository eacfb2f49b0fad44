/**
 * Whether the open diagram differs from what was last saved or opened, from bpmn-js's command
 * stack: every edit is a command, and undoing back to the saved point makes the diagram clean
 * again (as Camunda Modeler does, by the stack's position). While dirty, every change is also
 * written to the draft store, half a second after the last one.
 */
import type EventBus from 'diagram-js/lib/core/EventBus';
import type Modeler from 'bpmn-js/lib/Modeler';
import { clearDraft, writeDraft, type DraftIdentity, type DraftStorage } from './draft-store.ts';

interface CommandStack {
  /** Position in the stack: -1 when empty; diagram-js keeps it as `_stackIdx`. */
  _stackIdx: number;
}

export const AUTOSAVE_DELAY_MS = 500;

export interface ChangeTracker {
  isDirty(): boolean;
  /** Where the diagram stands now: taken before a save's XML is written, so edits made while saving stay dirty. */
  position(): number;
  /** The diagram at `position` is what is stored (after a save). */
  markClean(position?: number): void;
  /** The diagram differs from what is stored though nothing was edited here (a recovered draft). */
  markDirty(): void;
  /** The user let the unsaved changes go: their draft is deleted, and an autosave under way writes nothing. */
  discard(): void;
  dispose(): void;
}

export function trackChanges(
  modeler: Modeler,
  options: { onDirtyChange: (dirty: boolean) => void; identity: () => DraftIdentity; storage: DraftStorage },
): ChangeTracker {
  const eventBus = modeler.get<EventBus>('eventBus');
  const commandStack = modeler.get<CommandStack>('commandStack');
  // An import clears the stack, so a freshly opened diagram sits at -1 and is clean.
  let cleanIndex = -1;
  let forcedDirty = false;
  let dirty = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Bumped when changes are discarded, so an autosave begun before cannot bring them back.
  let generation = 0;

  const autosave = async (started: number) => {
    if (!dirty) return;
    const { xml } = await modeler.saveXML({ format: true });
    // Saved, reverted or discarded while bpmn-js was writing: nothing left to keep.
    if (xml && dirty && started === generation) writeDraft(options.storage, options.identity(), xml);
  };

  const update = () => {
    const now = forcedDirty || commandStack._stackIdx !== cleanIndex;
    if (now !== dirty) {
      dirty = now;
      options.onDirtyChange(now);
    }
    clearTimeout(timer);
    if (dirty) timer = setTimeout(() => void autosave(generation), AUTOSAVE_DELAY_MS);
  };

  const imported = () => {
    cleanIndex = -1;
    forcedDirty = false;
    update();
  };

  eventBus.on('commandStack.changed', update);
  eventBus.on('import.done', imported);
  return {
    isDirty: () => dirty,
    position: () => commandStack._stackIdx,
    markClean(position = commandStack._stackIdx) {
      cleanIndex = position;
      forcedDirty = false;
      update();
    },
    markDirty() {
      forcedDirty = true;
      update();
    },
    discard() {
      generation++;
      clearTimeout(timer);
      clearDraft(options.storage);
    },
    dispose() {
      clearTimeout(timer);
      eventBus.off('commandStack.changed', update);
      eventBus.off('import.done', imported);
    },
  };
}
