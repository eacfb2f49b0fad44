import { ProblemError, type Problem } from '../api-client.ts';
import type { Language } from '../i18n.ts';

/** Any failure as problem details, so a thrown Error and a server refusal are shown alike. */
export function problemOf(failure: unknown): Problem {
  if (failure instanceof ProblemError) return failure.problem;
  const text = failure instanceof Error ? failure.message : String(failure);
  return { title: text, status: 0, code: 'client.error', messages: { vi: text, en: text }, errors: [] };
}

/** The server's refusal (problem+json) in the language shown, and each named field's own message under it. */
export function ProblemNotice({ problem, language, testId }: { problem: Problem; language: Language; testId?: string }) {
  // A field's message in the language shown: the server words some only in English (a schema's technical note), shown to English readers only.
  const fields = problem.errors
    .map((error) => ({ field: error.field, text: error.messages ? error.messages[language] : language === 'en' ? error.message : undefined }))
    .filter((error): error is { field: string | undefined; text: string } => error.text !== undefined && error.text !== problem.messages[language]);
  return (
    <div className="ws-problem" role="alert" data-testid={testId} data-code={problem.code}>
      <p>{problem.messages[language]}</p>
      {fields.length > 0 ? (
        <ul>
          {fields.map((error, index) => (
            <li key={index}>
              {error.field ? <code>{error.field}</code> : null} {error.text}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
