// Benchmark: `rollcall validate` on a 5,000-person users.yaml. Prints the median of 5 runs and the
// ratio against plain YAML.parse of the same text (the floor: parsing without any checking).
import { parse } from "yaml";
import { parseUsersYaml } from "../../core/model/load";
import { PROJECT_ROOT } from "../../pulumi/engine/pulumi-cli";
import { recordFigures } from "../figures/record";

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 5000);
const RUNS = 5;

function generate(n: number): string {
  const lines = ["version: 1", "defaults:", "  controlRoom:", "    roles: [AAE_Basic]", "users:"];
  for (let i = 0; i < n; i++) {
    lines.push(`  - key: person${i}`, `    email: person${i}@example.com`, `    firstName: First${i}`, `    lastName: Last${i}`);
    lines.push("    controlRoom:", `      username: person${i}`, "      roles: [Bot Runner]", "      licenses: [RUNTIME]");
    if (i % 2 === 0)
      lines.push(
        "    anypoint:",
        `      username: person${i}.acme`,
        "      businessGroups:",
        "        Sales:",
        "          roles: [Exchange Viewer]",
        "          teams: [Sales Engineers]",
      );
  }
  return `${lines.join("\n")}\n`;
}

function median(fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

const text = generate(PEOPLE);
const validate = median(() => parseUsersYaml(text, "users.yaml"));
const floor = median(() => parse(text));
console.log(`validate ${PEOPLE} people (${(text.length / 1024).toFixed(0)} KiB): median ${validate.toFixed(0)} ms over ${RUNS} runs`);
console.log(`baseline YAML.parse of the same text: median ${floor.toFixed(0)} ms; ratio ${(validate / floor).toFixed(2)}x`);
// The README quotes these (README figures check, src/tools/figures/readme-figures.ts).
recordFigures(PROJECT_ROOT, "bench-validate", "make bench", {
  people: PEOPLE,
  "validate.ms": validate,
  "validate.s": validate / 1000,
  "yamlParse.ms": floor,
  ratio: validate / floor,
});
