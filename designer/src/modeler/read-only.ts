/**
 * An earlier version opened to look at, not to edit (docs/models.md "Versions"): the command stack
 * refuses every command while it is shown, so each modeling rule answers no (moving, creating,
 * deleting, connecting, resizing, pasting: diagram-js asks `commandStack.canExecute`) and nothing
 * reaches the diagram another way; a double click opens no label for typing. The palette and the
 * context pad are hidden by the canvas's `read-only` class (designer.css), and App makes the
 * properties panel inert.
 */
import type EventBus from 'diagram-js/lib/core/EventBus';
import type Modeler from 'bpmn-js/lib/Modeler';

interface CommandStack {
  canExecute: (this: CommandStack, command: string, context: object) => boolean;
  execute: (this: CommandStack, command: string, context: object) => void;
}

export function watchReadOnly(modeler: Modeler, isReadOnly: () => boolean): () => void {
  const commandStack = modeler.get<CommandStack>('commandStack');
  const eventBus = modeler.get<EventBus>('eventBus');
  const { canExecute, execute } = commandStack;
  // A bpmn-js rule answering for its own action stops the event before a general listener hears it: the stack itself says no.
  commandStack.canExecute = (command, context) => !isReadOnly() && canExecute.call(commandStack, command, context);
  commandStack.execute = (command, context) => {
    if (!isReadOnly()) execute.call(commandStack, command, context);
  };
  const noLabelEditing = () => (isReadOnly() ? false : undefined);
  eventBus.on('element.dblclick', 100_000, noLabelEditing);
  return () => {
    commandStack.canExecute = canExecute;
    commandStack.execute = execute;
    eventBus.off('element.dblclick', noLabelEditing);
  };
}
