import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FlowNode } from '../../engine/bpmn/process-graph.ts';
import { QuyTrinhError } from '../../engine/errors.ts';

/**
 * Dossier components (thành phần hồ sơ): the documents the applicant uploads with the application
 * (Decree 45 Art. 9), checked automatically on receipt (Art. 11.1: the technical check of file
 * types and sizes) before anything is stored.
 */

/** The types a component may have: what the one-stop desks print and the digitization step reads (issue 12). */
export const COMPONENT_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type ComponentMediaType = (typeof COMPONENT_MEDIA_TYPES)[number];

/** One file at most 10 MB, a whole application at most 25 MB: a scanned A4 page at 300 dpi is about 1 MB. */
export const MAX_COMPONENT_BYTES = 10 * 1024 * 1024;
export const MAX_DOSSIER_UPLOAD_BYTES = 25 * 1024 * 1024;
export const MAX_COMPONENTS = 20;
/** A submission's JSON: the uploads in base64 (4/3 of their size) and the form. */
export const MAX_DOSSIER_REQUEST_BYTES = Math.ceil((MAX_DOSSIER_UPLOAD_BYTES * 4) / 3) + 1024 * 1024;

/** A component the application needs, as the portal shows it. */
export interface ComponentSlot {
  name: string;
  required: boolean;
  accept: readonly ComponentMediaType[];
  maxBytes: number;
}

/**
 * The components the applicant uploads at a step: the step's `qt:document`s that are not on paper
 * and are not the step's own e-form (the tờ khai is filled in, not uploaded: its document is
 * marked `form`). Every one is required: a model lists what the procedure requires.
 */
export function componentSlots(step: FlowNode): ComponentSlot[] {
  return step.qt.documents
    .filter((document) => !document.paper && !document.form)
    .map((document) => ({ name: document.name, required: true, accept: COMPONENT_MEDIA_TYPES, maxBytes: MAX_COMPONENT_BYTES }));
}

export const uploadSchema = z
  .object({
    name: z.string().trim().min(1, 'required').max(500),
    fileName: z.string().trim().min(1, 'required').max(255).refine((name) => !/[/\\]/.test(name), 'a file name, without folders'),
    mediaType: z.enum(COMPONENT_MEDIA_TYPES, { error: `one of ${COMPONENT_MEDIA_TYPES.join(', ')} (PDF, JPEG, PNG)` }),
    contentBase64: z.string().min(1, 'required').regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
  })
  .strict();
export type Upload = z.infer<typeof uploadSchema>;

export interface CheckedComponent {
  name: string;
  fileName: string;
  mediaType: ComponentMediaType;
  content: Buffer;
  size: number;
  sha256: string;
}

/** The first bytes each type starts with: a file is what it is, not what its name or the browser says. */
const SIGNATURES: Record<ComponentMediaType, Buffer> = {
  'application/pdf': Buffer.from('%PDF-'),
  'image/jpeg': Buffer.from([0xff, 0xd8, 0xff]),
  'image/png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
};

/**
 * The technical check of the uploads (Decree 45 Art. 11.1): each names a component the step asks
 * for, is of an accepted type by its content, and within the size limits; with `complete`, every
 * required component is there. Every fault is named (`body.components[i]`), nothing is stored.
 */
export function checkComponents(uploads: readonly Upload[], slots: readonly ComponentSlot[], { complete }: { complete: boolean }): CheckedComponent[] {
  const faults: Array<{ field: string; message: string }> = [];
  const checked: CheckedComponent[] = [];
  let total = 0;
  uploads.forEach((upload, index) => {
    const field = `body.components[${index}]`;
    const slot = slots.find((candidate) => candidate.name === upload.name);
    if (!slot) {
      faults.push({ field: `${field}.name`, message: `not a component of this application (expected one of: ${slots.map((s) => s.name).join('; ') || 'none'})` });
      return;
    }
    const content = Buffer.from(upload.contentBase64, 'base64');
    total += content.length;
    if (content.length === 0) faults.push({ field: `${field}.contentBase64`, message: 'the file is empty' });
    else if (content.length > slot.maxBytes) faults.push({ field: `${field}.contentBase64`, message: `the file is ${content.length} bytes; at most ${slot.maxBytes}` });
    else if (!content.subarray(0, SIGNATURES[upload.mediaType].length).equals(SIGNATURES[upload.mediaType])) faults.push({ field: `${field}.mediaType`, message: `the content is not ${upload.mediaType}` });
    else checked.push({ name: upload.name, fileName: upload.fileName, mediaType: upload.mediaType, content, size: content.length, sha256: createHash('sha256').update(content).digest('hex') });
  });
  if (total > MAX_DOSSIER_UPLOAD_BYTES) faults.push({ field: 'body.components', message: `${total} bytes in all; at most ${MAX_DOSSIER_UPLOAD_BYTES}` });
  if (complete) {
    for (const slot of slots) {
      if (slot.required && !uploads.some((upload) => upload.name === slot.name)) faults.push({ field: 'body.components', message: `missing required component: ${slot.name}` });
    }
  }
  if (faults.length > 0) {
    throw new QuyTrinhError('unprocessable', 'dossier.components-invalid', {
      vi: `Thành phần hồ sơ chưa đạt kiểm tra kỹ thuật (Nghị định 45/2020 Điều 11.1): ${faults.map((fault) => `${fault.field}: ${fault.message}`).join('; ')}`,
      en: `The dossier components failed the technical check (Decree 45/2020 Art. 11.1): ${faults.map((fault) => `${fault.field}: ${fault.message}`).join('; ')}`,
    }, faults);
  }
  return checked;
}
