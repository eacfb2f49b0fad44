/** A result of a dossier as the dossier API gives it (docs/dossiers.md): `<dossier code>-KQ<n>` (Decree 45 Art. 14.3.d), annulled or not (Art. 15). */
export interface DossierResult {
  code: string;
  n: number;
  title: string;
  issuedAt: string;
  annulledAt: string | null;
  annulmentReason: string | null;
}
