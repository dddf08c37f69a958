/** Two projects: unit (offline, pure and adapter tests) and contract (events and schemas). */
const transform = {
  '^.+\\.[tj]sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
};
const common = {
  testEnvironment: 'node',
  transform,
  // middy 6 ships ESM only; jest (CJS) needs it transformed.
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  setupFiles: ['<rootDir>/tests/support/env.ts'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    { ...common, displayName: 'contract', testMatch: ['<rootDir>/tests/contract/**/*.test.ts'] },
    { ...common, displayName: 'terraform', testMatch: ['<rootDir>/tests/terraform/**/*.test.ts'] },
    { ...common, displayName: 'pipeline', testMatch: ['<rootDir>/tests/pipeline/**/*.test.ts'] },
    { ...common, displayName: 'twin', testMatch: ['<rootDir>/tests/twin/**/*.test.ts'] },
  ],
  collectCoverageFrom: ['shared/**/*.ts'],
  coverageThreshold: {
    './shared/lifecycle/': { branches: 100, functions: 100, lines: 100, statements: 100 },
  },
};
