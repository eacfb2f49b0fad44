/** Issue 11 (docs/dossiers.md): being built. */
export function WorkspaceApp() {
  return <main className="session-loading">Quy Trình</main>;
}
