/** Jest projects: unit (pure code), host (the local Forge host itself), integration (the app on the
 * local host with real HTTP receivers), e2e (the admin page in Debian's Chromium), forge-cli (the Forge
 * CLI's own bundler and client-side linters, offline). */
const transform = { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
const project = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  transform,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  ...extra,
});
module.exports = {
  // Integration and browser tests run real servers; a slow shared machine must not fail them by time.
  testTimeout: 120000,
  projects: [
    project('unit'),
    project('host', { testTimeout: 60000 }),
    project('integration', { testTimeout: 120000 }),
    project('e2e', { testTimeout: 120000 }),
    // webpack + ts-loader and two @forge/lint runs take about a minute of CPU between them.
    project('forge-cli', { testTimeout: 600000 }),
  ],
};
