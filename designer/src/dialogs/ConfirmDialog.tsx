import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

interface Question {
  title: string;
  text: string;
  confirm: string;
  cancel: string;
  answer: (yes: boolean) => void;
}

/**
 * An in-page yes/no question (window.confirm blocks the page and cannot be styled or translated):
 * `ask` resolves true when the user confirms, false on cancel or Escape.
 */
export function useConfirm(): { ask: (question: Omit<Question, 'answer'>) => Promise<boolean>; dialog: ReactNode } {
  const [question, setQuestion] = useState<Question | undefined>();
  const ask = useCallback(
    (asked: Omit<Question, 'answer'>) =>
      new Promise<boolean>((resolve) => {
        setQuestion({
          ...asked,
          answer: (yes) => {
            setQuestion(undefined);
            resolve(yes);
          },
        });
      }),
    [],
  );
  return { ask, dialog: question ? <ConfirmDialog question={question} /> : null };
}

function ConfirmDialog({ question }: { question: Question }) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  // The safe answer has the focus, so Enter does not throw work away.
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <div className="modal-backdrop" onKeyDown={(event) => event.key === 'Escape' && question.answer(false)}>
      <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" aria-describedby="confirm-text">
        <h2 id="confirm-title">{question.title}</h2>
        <p id="confirm-text">{question.text}</p>
        <div className="modal-buttons">
          <button type="button" ref={cancelRef} onClick={() => question.answer(false)}>
            {question.cancel}
          </button>
          <button type="button" className="primary" onClick={() => question.answer(true)}>
            {question.confirm}
          </button>
        </div>
      </div>
    </div>
  );
}
