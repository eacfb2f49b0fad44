/**
 * docs/benchmarks.md is written whole by `npm run bench`; a part run alone (`--compile`,
 * `--dossiers`) replaces only its own section, found by the start of its heading, or puts it
 * before the section named by `before` when the page has none yet.
 */
export function withSection(page: string, headingStart: string, section: string, before: string): string {
  const start = page.indexOf(headingStart);
  if (start !== -1) {
    const end = page.indexOf('\n## ', start + 1);
    return `${page.slice(0, start)}${section}${end === -1 ? '' : page.slice(end)}`;
  }
  const at = page.indexOf(`\n${before}`);
  return at === -1 ? `${page}\n${section}` : `${page.slice(0, at + 1)}${section}\n${page.slice(at + 1)}`;
}
