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
  const fields = problem.errors.filter((error) => error.field || error.messages);
  return (
    <div className="ws-problem" role="alert" data-testid={testId} data-code={problem.code}>
      <p>{problem.messages[language]}</p>
      {fields.length > 0 ? (
        <ul>
          {fields.map((error, index) => (
            <li key={index}>
              {error.field ? <code>{error.field}</code> : null} {error.messages ? error.messages[language] : error.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
