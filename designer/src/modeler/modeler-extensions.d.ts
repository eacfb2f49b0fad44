// bpmn-js-token-simulation and diagram-js-minimap ship JavaScript only: their modules, typed.
declare module 'bpmn-js-token-simulation' {
  const TokenSimulationModule: Record<string, unknown>;
  export default TokenSimulationModule;
}

declare module 'diagram-js-minimap' {
  const MinimapModule: Record<string, unknown>;
  export default MinimapModule;
}
