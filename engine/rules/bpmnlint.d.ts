// bpmnlint ships CommonJS without declarations for its rule and config modules.
declare module 'bpmnlint' {
  export const Linter: new (options: { config?: unknown; resolver: { resolveRule(pkg: string, ruleName: string): unknown; resolveConfig(pkg: string, configName: string): unknown } }) => {
    lint(definitions: unknown): Promise<Record<string, Array<{ id?: string; message: string; category: 'error' | 'warn' | 'info' | 'rule-error' }>>>;
  };
}
declare module 'bpmnlint/rules/*' {
  const rule: (options?: unknown) => {
    check: (element: { $type: string; [property: string]: unknown }, reporter: { report(id: string, message: string, context?: unknown): void }) => void;
  };
  export default rule;
}
declare module 'bpmnlint/config/recommended.js' {
  const config: { rules: Record<string, 'error' | 'warn' | 'off' | 'info'> };
  export default config;
}
