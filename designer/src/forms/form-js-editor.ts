/**
 * bpmn.io's form-js editor as the designer uses it: its palette keeps only the component types
 * the server accepts (engine/forms/form-schema.ts, docs/dossiers.md), so that a form built here is
 * not refused for a component the portal could never check again (Decree 45/2020/ND-CP Art. 16.4).
 * Loaded on first use: the editor and its CSS stay out of the modeler's start-up.
 */
import type * as FormJs from '@bpmn-io/form-js';
// @ts-expect-error -- the distribution has no declaration file of its own: typed as @bpmn-io/form-js below.
import * as formJsEditorDistro from '../../../node_modules/@bpmn-io/form-js/dist/form-editor.umd.js';
import '@bpmn-io/form-js/dist/assets/form-js.css';
import '@bpmn-io/form-js/dist/assets/form-js-editor.css';
import { SUPPORTED_COMPONENT_TYPES } from '../../../engine/forms/form-schema.ts';
import type { FormSchema } from './forms-api.ts';

/** form-js's registry of component types; its palette lists what the registry holds when it is first drawn. */
interface FormFieldRegistry {
  _formFields: Record<string, unknown>;
}

const KEPT_TYPES = new Set<string>(['default', ...SUPPORTED_COMPONENT_TYPES]);

/**
 * Unregisters the component types the server refuses before the palette is drawn. form-js has no
 * option for a palette subset; its palette reads `formFields._formFields` (form-js-editor 1.23),
 * so a form-js upgrade must keep this in view (test/designer/form-editor.test.ts lists the palette).
 */
function KeepSupportedTypes(formFields: FormFieldRegistry) {
  for (const type of Object.keys(formFields._formFields)) if (!KEPT_TYPES.has(type)) delete formFields._formFields[type];
}
KeepSupportedTypes.$inject = ['formFields'];

/**
 * form-js's editor as bpmn.io distributes it whole (`dist/form-editor.umd.js`, the package's
 * `./editor` export): one copy of preact for the editor, the viewer it draws with and its
 * properties panel. Its ES modules would bring three (form-js-editor pins preact 10.15, the
 * viewer takes the project's, @bpmn-io/properties-panel carries its own), and hooks of one copy
 * fail under another's renderer ("Cannot read properties of undefined (reading 'context')").
 */
type Distro = Pick<typeof FormJs, 'FormEditor' | 'schemaVersion'>;
// Bundled (vite build) the UMD is read as CommonJS: its exports are the default. Served as it is
// (vite's dev server) it runs as a plain script and sets `globalThis.FormEditor`.
const { FormEditor, schemaVersion } = ((formJsEditorDistro as { default?: Distro }).default ?? (globalThis as { FormEditor?: Distro }).FormEditor)!;

const supportedTypesModule = { __init__: ['qtSupportedTypes'], qtSupportedTypes: ['type', KeepSupportedTypes] };

export interface DesignerFormEditor {
  /** Shows the schema; what it holds after is the baseline `changed()` compares with. */
  show(schema: FormSchema): Promise<void>;
  /** The schema as edited, its id the form code. */
  schema(code: string): FormSchema;
  /** Whether the form differs from what was shown or saved last. */
  changed(): boolean;
  /** The edited schema is now the saved one. */
  markSaved(): void;
  /** Selects the component a server problem names (`body.components[6].properties.qt:format`); false when it names none. */
  selectAt(field: string): boolean;
  destroy(): void;
}

export function createFormEditor(container: HTMLElement): DesignerFormEditor {
  const editor = new FormEditor({ container, additionalModules: [supportedTypesModule], exporter: { name: 'Quy Trình', version: '1' } });
  // Edited since shown or saved: any command of the editor's command stack (a schema compared
  // with the one shown would differ by what form-js fills in after the import, rows and ids).
  let edited = false;
  editor.on('commandStack.changed', (event: { trigger?: string }) => {
    if (event.trigger !== 'clear') edited = true;
  });
  return {
    async show(schema) {
      await editor.importSchema(schema);
      edited = false;
    },
    schema(code) {
      return { ...(editor.saveSchema() as FormSchema), id: code };
    },
    changed: () => edited,
    markSaved() {
      edited = false;
    },
    selectAt(field) {
      let components = (editor.saveSchema() as FormSchema).components as Array<{ id?: string; components?: unknown[] }> | undefined;
      let id: string | undefined;
      for (const [, index] of field.matchAll(/\.components\[(\d+)\]/g)) {
        const component = components?.[Number(index)];
        if (!component) break;
        id = component.id;
        components = component.components as typeof components;
      }
      const formField = id === undefined ? undefined : editor.get<{ get(id: string): unknown }>('formFieldRegistry').get(id);
      if (!formField) return false;
      editor.get<{ set(formField: unknown): void }>('selection').set(formField);
      return true;
    },
    destroy: () => editor.destroy(),
  };
}

/** The schema version new forms are written in (form-js-viewer's; docs/dossiers.md: 19). */
export const FORM_SCHEMA_VERSION: number = schemaVersion;
