/** Messages about diagram elements (cost problems, checks, a deployment's refusal): each line leads to its element. */
import type { Problem } from '../api.ts';
import type { Language } from '../i18n.ts';

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

interface ProblemMessagesProps {
  problem: Problem;
  language: Language;
  /** What the list is for, under the server's title. */
  hint: string;
  onSelectElement: (elementId: string) => void;
  className: string;
  testId: string;
}

/** The server's refusal of a model (problem+json): its title, then each offending element. */
export function ProblemMessages({ problem, language, hint, onSelectElement, className, testId }: ProblemMessagesProps) {
  return (
    <div className={className} data-testid={testId}>
      <p className="error">{problem.messages?.[language] ?? problem.title}</p>
      <p className="muted">{hint}</p>
      <ElementMessages messages={problem.errors.map((error) => ({ elementId: error.elementId, text: error.messages?.[language] ?? error.message }))} onSelectElement={onSelectElement} />
    </div>
  );
}
