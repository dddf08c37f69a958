/**
 * The architecture's import rules (DESIGN §5), checked in `npm test`:
 * the pure core touches no AWS, no adapters and no environment; only shared/aws talks to the SDK;
 * functions do not import each other.
 */
module.exports = {
  forbidden: [
    {
      name: 'pure-core-no-aws',
      comment: 'shared/lifecycle and shared/judge are pure: no AWS SDK.',
      severity: 'error',
      from: { path: '^shared/(lifecycle|judge)/' },
      to: { path: '@aws-sdk/' },
    },
    {
      name: 'pure-core-no-shell',
      comment: 'shared/lifecycle and shared/judge import no adapters, no runtime shell, no reconciler, no functions.',
      severity: 'error',
      from: { path: '^shared/(lifecycle|judge)/' },
      to: { path: '^(shared/(aws|runtime|reconcile|ingress)|functions|scripts)/' },
    },
    {
      name: 'pure-core-no-side-effect-builtins',
      comment: 'No process, filesystem, network or child processes in the pure core (node:crypto hashing is allowed).',
      severity: 'error',
      from: { path: '^shared/(lifecycle|judge)/' },
      to: { dependencyTypes: ['core'], pathNot: '^(crypto|node:crypto)$' },
    },
    {
      name: 'sdk-only-in-adapters',
      comment: 'Only shared/aws imports @aws-sdk/* (scripts may, for the CLI and tools).',
      severity: 'error',
      from: { path: '^(shared|functions)/', pathNot: '^shared/aws/' },
      to: { path: '@aws-sdk/' },
    },
    {
      name: 'functions-do-not-import-functions',
      comment: 'Each function is its own bundle; shared code lives in shared/.',
      severity: 'error',
      from: { path: '^functions/([^/]+)/' },
      to: { path: '^functions/', pathNot: '^functions/$1/' },
    },
    {
      name: 'shared-does-not-import-functions-or-scripts',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(functions|scripts|tests)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
