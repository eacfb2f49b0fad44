import { z } from 'zod';

/**
 * The holder of the account an application is filed from: what the national population database
 * (a person) or the business registration database (an organisation) says of them, as the
 * account's profile carries it. Decree 45 Art. 16.4 and Circular 01 Art. 22.2–22.3: an
 * interactive form is filled from these data for the applicant to confirm, not typed again.
 */
export interface Holder {
  fullName?: string | undefined;
  /** Personal identification number (12 digits). */
  idNumber?: string | undefined;
  /** YYYY-MM-DD. */
  dateOfBirth?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
  address?: {
    /** A province's code or name (engine/forms/provinces.ts). */
    province?: string | undefined;
    commune?: string | undefined;
    street?: string | undefined;
  } | undefined;
  /** An organisation's tax identification number (its enterprise code). */
  taxId?: string | undefined;
}

const value = z.string().max(500).optional();

/**
 * A holder as stored (an account's profile beside its name and identification number): every part
 * optional, nothing else accepted. The values are not checked against the formats here: prefill
 * leaves out what a field's format refuses.
 */
export const holderSchema: z.ZodType<Holder> = z
  .object({
    fullName: value,
    idNumber: value,
    dateOfBirth: value,
    phone: value,
    email: value,
    address: z.object({ province: value, commune: value, street: value }).strict().optional(),
    taxId: value,
  })
  .strict();

/** The values `properties['qt:autofill']` may name. */
export const AUTOFILL_PATHS = [
  'holder.fullName',
  'holder.idNumber',
  'holder.dateOfBirth',
  'holder.phone',
  'holder.email',
  'holder.address.province',
  'holder.address.commune',
  'holder.address.street',
  'holder.taxId',
] as const;
export type AutofillPath = (typeof AUTOFILL_PATHS)[number];

/** The holder's value at a path, when it has one that is not blank. */
export function holderValue(holder: Holder, path: AutofillPath): string | undefined {
  const value = path.split('.').slice(1).reduce<unknown>((node, step) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[step] : undefined), holder);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
