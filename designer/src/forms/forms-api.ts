/** The forms API (server/http/dossiers.ts, docs/dossiers.md), through the designer's one client. */
import { ProblemError, apiJson } from '../api-client.ts';
import type { Language } from '../i18n.ts';

/** A form-js schema as the server stores it (engine/forms/form-schema.ts checks it on PUT). */
export type FormSchema = Record<string, unknown> & { id: string; type: 'default'; components: unknown[]; schemaVersion: number };

export interface StoredForm {
  code: string;
  version: number;
  schema: FormSchema;
}

const formPath = (code: string) => `/api/forms/${encodeURIComponent(code)}`;

/** The latest version of the form, or undefined when none was saved under this code. */
export async function loadForm(code: string, language: Language): Promise<StoredForm | undefined> {
  try {
    return await apiJson<StoredForm>(formPath(code), { language });
  } catch (error) {
    if (error instanceof ProblemError && error.status === 404) return undefined;
    throw error;
  }
}

/** Saves the schema as the form's next version; `created` is false when it equals the latest (no new version). */
export function saveForm(code: string, schema: FormSchema, language: Language): Promise<{ code: string; version: number; created: boolean }> {
  return apiJson(formPath(code), { language, method: 'PUT', json: schema });
}
