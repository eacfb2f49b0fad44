/**
 * The form a step starts with when none was saved under its code: the national heading every
 * administrative form opens with (the national name and motto, Decree 30/2020/ND-CP Appendix I
 * on the presentation of administrative documents), then the form's title; for the start event
 * the application form (tờ khai) of the procedure. The code is the schema's id (Circular
 * 01/2023/TT-VPCP Art. 22.3.b), which the server requires.
 */
import { FORM_SCHEMA_VERSION } from './form-js-editor.ts';
import type { FormStep } from './form-elements.ts';
import type { FormSchema } from './forms-api.ts';

export function newFormSchema(code: string, step: FormStep): FormSchema {
  const title = step.kind === 'start' ? `TỜ KHAI\n\n${step.label}` : step.label.toLocaleUpperCase('vi');
  return {
    type: 'default',
    id: code,
    schemaVersion: FORM_SCHEMA_VERSION,
    components: [
      { type: 'text', id: 'Text_quoc_hieu', text: '**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\n\n**Độc lập - Tự do - Hạnh phúc**' },
      { type: 'text', id: 'Text_tieu_de', text: `## ${title}` },
    ],
  };
}
