import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // End-to-end tests drive the real pulumi CLI: each `pulumi up` takes seconds on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Engine tests share the CPU badly; files run in parallel, tests inside a file in order.
    maxWorkers: 2,
    reporters: ["default"],
    // No test writes audit lines into the checkout (test/support/audit-scratch.ts).
    setupFiles: ["test/support/audit-scratch.ts"],
  },
});
