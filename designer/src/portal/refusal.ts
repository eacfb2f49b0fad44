/**
 * A refusal of the server as the portal shows it: the problem's message in both languages (a
 * language switch rewords it), and the per-field ones sorted to where they belong, the form's
 * fields (`body.data.<key>`) and the components (`body.components[<i>]`) (docs/dossiers.md, API).
 */
import { ProblemError } from '../api-client.ts';
import type { Bilingual } from './portal-api.ts';

export interface Refusal {
  messages: Bilingual;
  /** By form field key. */
  fields: Record<string, Bilingual>;
  /** By index in the components sent. */
  components: Record<number, Bilingual>;
  /** Field errors that belong to neither, listed under the message. */
  others: Bilingual[];
  /** Every field error by its place in the body (`holderId` for `body.holderId`). */
  body: Record<string, Bilingual>;
}

export function refusalOf(error: unknown): Refusal {
  if (!(error instanceof ProblemError)) {
    const text = error instanceof Error ? error.message : String(error);
    return { messages: { vi: text, en: text }, fields: {}, components: {}, others: [], body: {} };
  }
  const refusal: Refusal = { messages: error.problem.messages, fields: {}, components: {}, others: [], body: {} };
  for (const item of error.problem.errors) {
    // A field message the server words in English only (a schema's) is shown in English only; in
    // Vietnamese the field is still marked, with the problem's own message above.
    const words = item.messages ?? { vi: '', en: item.message };
    if (item.field?.startsWith('body.')) refusal.body[item.field.slice('body.'.length)] = words;
    const field = item.field?.match(/^body\.data\.(.+)$/);
    const component = item.field?.match(/^body\.components\[(\d+)\]/);
    if (field?.[1]) refusal.fields[field[1]] = words;
    else if (component?.[1]) refusal.components[Number(component[1])] = words;
    else refusal.others.push(words);
  }
  return refusal;
}
