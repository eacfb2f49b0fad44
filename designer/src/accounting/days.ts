/** The day the accountant's T-1 review reconciles (Decree 45 Art. 27): yesterday in Vietnam, dd/mm/yyyy. */
import { formatVietnamDay } from '../format.ts';

export function yesterday(): string {
  return formatVietnamDay(new Date(Date.now() - 86_400_000));
}
