import type { Page } from 'playwright-core';

/** A form-js schema's component, as the portal's tests read the application form. */
export interface FormField {
  id: string;
  key?: string;
  type: string;
  validate?: { required?: boolean };
  values?: Array<{ label: string; value: string }>;
  components?: FormField[];
}

/** What `GET /api/portal/procedures/:key/form` answers. */
export interface ApplicationForm {
  form: { code: string; version: number; schema: FormField };
  prefill: { values: Record<string, string>; fields: string[] };
  components: Array<{ name: string; required: boolean; accept: string[]; maxBytes: number }>;
}

export const fieldsOf = (component: FormField): FormField[] => (component.components ?? []).flatMap((child) => [child, ...fieldsOf(child)]).filter((field) => field.key !== undefined);

/** A form-js field's own input (a date's date part, a radio group's first option), by the field's id in the schema: labels repeat across the form's groups. */
export const portalInput = (page: Page, field: FormField) => page.locator(`.portal-form [id$="-${field.id}${{ datetime: '-date', radio: '-0' }[field.type] ?? ''}"]`).first();

/**
 * Fills every required field the account did not fill: text from `answers` by key (else "Việt
 * Nam"), a date three days ago (dd/mm/yyyy, as a Vietnamese browser writes it), the first choice of
 * a radio group or list, boxes ticked.
 */
export async function fillRequiredFields(page: Page, application: ApplicationForm, answers: Record<string, string>): Promise<void> {
  for (const field of fieldsOf(application.form.schema).filter((candidate) => candidate.validate?.required)) {
    const input = portalInput(page, field);
    if (field.type === 'textfield' && (await input.inputValue()) === '') await input.fill(answers[field.key!] ?? 'Việt Nam');
    else if (field.type === 'datetime') {
      const born = new Date(Date.now() - 3 * 86_400_000);
      await input.fill(`${String(born.getDate()).padStart(2, '0')}/${String(born.getMonth() + 1).padStart(2, '0')}/${born.getFullYear()}`);
      await input.press('Enter');
    } else if (field.type === 'radio' || field.type === 'checkbox') await input.check();
    else if (field.type === 'select' && !application.prefill.fields.includes(field.key!)) {
      // Its list may already be open: the page puts the focus on the first field to correct.
      const choices = page.locator(`.fjs-form-field:has(> label[for$="-${field.id}"]) .fjs-dropdownlist-item`);
      if (!(await choices.first().isVisible())) await page.locator(`.fjs-form-field:has(> label[for$="-${field.id}"]) .fjs-input-group`).click();
      await choices.first().click();
    }
  }
}
