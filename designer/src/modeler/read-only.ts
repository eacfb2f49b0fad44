/**
 * An earlier version opened to look at, not to edit (docs/models.md "Versions"): every modeling
 * rule answers no (moving, creating, deleting, connecting, resizing, pasting) and a double click
 * opens no label for typing. The palette and context pad are hidden by the canvas's `read-only`
 * class (designer.css), and the properties panel is made inert by App.
 */
import type Modeler from 'bpmn-js/lib/Modeler';

interface EventBus {
  on(event: string, priority: number, callback: () => unknown): void;
  off(event: string, callback: () => unknown): void;
}

export function watchReadOnly(modeler: Modeler, isReadOnly: () => boolean): () => void {
  const eventBus = modeler.get<EventBus>('eventBus');
  const refuse = () => (isReadOnly() ? false : undefined);
  // Before every other rule: diagram-js asks `commandStack.canExecute` for each action it offers.
  eventBus.on('commandStack.canExecute', 100_000, refuse);
  eventBus.on('element.dblclick', 100_000, refuse);
  return () => {
    eventBus.off('commandStack.canExecute', refuse);
    eventBus.off('element.dblclick', refuse);
  };
}
