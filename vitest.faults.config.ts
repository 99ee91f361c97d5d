import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the fault suite (test/faults, docs/faults.md). Each file runs a registration campaign
 * against the service's own processes while breaking one part; one file at a time, since each loads the machine.
 */
export default defineConfig({
  test: {
    name: 'faults',
    include: ['test/faults/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 180_000,
  },
});
