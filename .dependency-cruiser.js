/**
 * Import rules for the server's code (npm run deps). No import loops, at two levels: between
 * modules, and between folders, so that the layers (domain, data, services, http, jobs, cli,
 * client, policies) and the service areas (src/services/<area>) depend on each other in one
 * direction only. A folder loop has no module loop in it (licensing/a imports subscriptions/b,
 * which imports licensing/c), so it takes its own rule: dependency-cruiser aggregates modules to
 * every folder above them and finds the cycles in that graph.
 *
 * Type-only imports count: a loop of types is a loop a reader has to follow all the same.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
export default {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A module reaches itself through its imports; find the piece both sides need and give it its own module.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-loop',
      comment: 'Two folders import each other (a layer, or a service area); the shared piece belongs below both.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
