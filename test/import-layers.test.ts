// The layering rule in `make test`: every import in src/ runs one way (src/tools/import-layers.ts).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importViolations, layerOf, sourceFiles } from "../src/tools/import-layers";

describe("import layers", () => {
  it("every import in src/ goes the right way", () => {
    const files = sourceFiles(path.resolve(__dirname, ".."));
    expect(files.size).toBeGreaterThan(50);
    expect(importViolations(files).map((v) => v.message)).toEqual([]);
  });

  it("names the file and line of an import that goes the wrong way", () => {
    const files = new Map([
      ["src/core/config.ts", 'import { x } from "./http/client";\nimport { y } from "../features/split/share";\n'],
      ["src/core/http/client.ts", ""],
      ["src/features/split/share.ts", ""],
      ["src/providers/anypoint/client.ts", 'import { z } from "../controlroom/client";\nimport { s } from "../../sim/harness";\n'],
      ["src/providers/controlroom/client.ts", ""],
      ["src/sim/harness.ts", ""],
    ]);
    expect(importViolations(files).map((v) => v.message)).toEqual([
      "src/core/config.ts:2: imports src/features/split/share.ts — core must not import features (layers: src/tools/import-layers.ts)",
      "src/providers/anypoint/client.ts:1: imports src/providers/controlroom/client.ts — a platform must not import another platform (layers: src/tools/import-layers.ts)",
      "src/providers/anypoint/client.ts:2: imports src/sim/harness.ts — providers must not import sim (layers: src/tools/import-layers.ts)",
    ]);
  });

  it("counts the shims' entry points with the program, the rest of a platform with the providers", () => {
    expect(layerOf("src/providers/anypoint/provider.ts")).toBe("program");
    expect(layerOf("src/providers/anypoint/client.ts")).toBe("providers");
    expect(layerOf("test/x.test.ts")).toBeUndefined();
  });
});
