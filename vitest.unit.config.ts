import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// The unit tests alone (for `npm run mutation`: mutants never reach the built bundle the e2e tests run).
export default mergeConfig(base, defineConfig({ test: { include: ['test/unit/**/*.test.ts'] } }));
