/** Messages about diagram elements (cost problems, checks, a deployment's refusal): each line leads to its element. */
export interface ElementMessage {
  elementId?: string | undefined;
  text: string;
  /** What the user calls the element, shown after the message. */
  element?: string | undefined;
  severity?: 'error' | 'warn';
}

interface ElementMessagesProps {
  messages: readonly ElementMessage[];
  onSelectElement: (elementId: string) => void;
  testId?: string;
}

export function ElementMessages({ messages, onSelectElement, testId }: ElementMessagesProps) {
  return (
    <ul className="element-messages" data-testid={testId}>
      {messages.map((message, index) => (
        <li key={`${message.elementId ?? ''}-${index}`} className={message.severity ?? 'error'} data-element-id={message.elementId}>
          {message.elementId ? (
            <button type="button" className="link" onClick={() => onSelectElement(message.elementId!)}>
              {message.text}
              {message.element ? <span className="muted"> · {message.element}</span> : null}
            </button>
          ) : (
            <span>{message.text}</span>
          )}
        </li>
      ))}
    </ul>
  );
}
