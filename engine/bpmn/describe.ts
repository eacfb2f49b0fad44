import type { FlowNode } from './process-graph.ts';

/** How messages name an element: its name and id, so a person finds it on the diagram. */
export function describe(node: Pick<FlowNode, 'id' | 'name'>, language: 'vi' | 'en' = 'vi'): string {
  const label = node.name ? `"${node.name}" (${node.id})` : node.id;
  return language === 'vi' ? `Phần tử ${label}` : `Element ${label}`;
}
