// users.yaml's JSON Schema (schema/users.schema.json, also used by editors), compiled once, and its
// errors turned into problems a person can act on.
import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020";
import { readFileSync } from "node:fs";
import path from "node:path";

// Read at run time from the package root: schema/ is outside the compiled tree (src/ → dist/ at the same depth).
const schema = JSON.parse(readFileSync(path.join(__dirname, "../../../schema/users.schema.json"), "utf8")) as object;
import type { Locator } from "./locate";
import { displayPath, type Problem } from "./problems";
import { closestNames } from "./suggest";

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  return compiled;
}

const PATTERN_MESSAGES: Record<string, [string, string]> = {
  key: ["is not a valid key", "Keys use lower-case letters, digits, '.', '_' and '-', and start with a letter or digit, e.g. ada.lovelace"],
  email: ["is not an email address", "Write it as name@example.com"],
  username: ["is not a valid username", "Usernames start with a letter or digit and use letters, digits, '.', '_', '@', '-' or '\\'"],
  licenses: ["is not a license name", "License names are upper-case, e.g. DEVELOPMENT, RUNTIME, ATTENDEDRUNTIME"],
  expires: ["is not a date", "Write the date as YYYY-MM-DD (ISO 8601), e.g. 2027-03-31"],
};

type SchemaNode = {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  else?: SchemaNode;
};

/** The schema that applies at an instance path (ajv reports paths inside a $ref relative to it). */
function schemaAt(path: readonly (string | number)[]): SchemaNode | undefined {
  // A list item that is a name or a mapping (a grant with `expires:`) is if/then/else: its keys are the else branch's.
  const deref = (n: SchemaNode | undefined): SchemaNode | undefined => {
    const node = n?.$ref ? (schema as unknown as { $defs: Record<string, SchemaNode> }).$defs[n.$ref.replace("#/$defs/", "")] : n;
    return node?.else && !node.properties ? node.else : node;
  };
  let node = deref(schema as unknown as SchemaNode);
  for (const seg of path) {
    if (!node) return undefined;
    node = deref(
      typeof seg === "number"
        ? node.items
        : (node.properties?.[seg] ?? (typeof node.additionalProperties === "object" ? node.additionalProperties : undefined)),
    );
  }
  return node;
}

/** Allowed keys of the mapping at an instance path, for "did you mean" hints. */
function allowedKeys(path: readonly (string | number)[]): string[] {
  return Object.keys(schemaAt(path)?.properties ?? {});
}

export function schemaProblems(data: unknown, file: string, locate: Locator): Problem[] {
  const validate = validator();
  if (validate(data)) return [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const err of validate.errors ?? []) {
    const problem = toProblem(err, data, file, locate);
    if (!problem) continue;
    const id = `${problem.path}|${problem.message}`;
    if (!seen.has(id)) (problems.push(problem), seen.add(id));
  }
  return problems;
}

function toProblem(err: ErrorObject, data: unknown, file: string, locate: Locator): Problem | undefined {
  const path = err.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s, i, all) => (/^\d+$/.test(s) && isArrayAt(data, all.slice(0, i)) ? Number(s) : s));
  const here = { file, path: displayPath(path), ...locate.value(path) };
  const value = getAt(data, path);
  switch (err.keyword) {
    case "additionalProperties": {
      const key = String((err.params as { additionalProperty: string }).additionalProperty);
      const allowed = allowedKeys(path);
      const close = closestNames(key, allowed, 1);
      return {
        ...here,
        ...locate.key(path, key),
        path: displayPath([...path, key]),
        message: `unknown key "${key}"`,
        hint: close.length ? `Did you mean "${close[0]}"?` : `Allowed here: ${allowed.join(", ")}`,
      };
    }
    case "required": {
      const key = (err.params as { missingProperty: string }).missingProperty;
      return { ...here, message: `missing required key "${key}"`, hint: `Add ${key}: to this entry` };
    }
    case "type":
      return {
        ...here,
        message:
          `expected ${TYPE_NAMES[(err.params as { type: string }).type] ?? (err.params as { type: string }).type}, found ` +
          `${describe(value)}`,
        ...(path.at(-1) === "expires" ? { hint: PATTERN_MESSAGES.expires![1] } : {}),
      };
    case "const":
      return {
        ...here,
        message: `must be ${JSON.stringify((err.params as { allowedValue: unknown }).allowedValue)}, found ${describe(value)}`,
        hint: "This file format is version 1",
      };
    case "pattern": {
      const field = path.findLast((s) => typeof s === "string") as string;
      const isName = /\$defs\/name\//.test(err.schemaPath);
      const isLicense = /\$defs\/licenseName\//.test(err.schemaPath);
      const [message, hint] = isName
        ? ["is blank or contains control characters", "Write the name; remove tabs, newlines and other control characters"]
        : (PATTERN_MESSAGES[isLicense ? "licenses" : field] ?? ["has an invalid format", ""]);
      return { ...here, message: `${JSON.stringify(value).slice(0, 80)} ${message}`, hint };
    }
    case "enum": {
      const allowed = (err.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const close = closestNames(String(value), allowed, 1);
      return {
        ...here,
        message: `${JSON.stringify(value).slice(0, 80)} is not one of ${allowed.join(", ")}`,
        hint: close.length ? `Did you mean "${close[0]}"?` : `Write one of ${allowed.join(", ")}`,
      };
    }
    case "maxLength":
      return {
        ...here,
        message: `is ${String(value).length} characters long; at most ${(err.params as { limit: number }).limit} are allowed`,
      };
    case "minLength":
      return { ...here, message: "must not be empty" };
    case "minItems":
      if (displayPath(path) === "users") return undefined; // reported by the empty-file guard with its own message
      return { ...here, message: "must not be empty" };
    case "maxItems":
      return {
        ...here,
        message: `has ${(value as unknown[]).length} entries; at most ${(err.params as { limit: number }).limit} are allowed`,
      };
    case "minProperties":
      return {
        ...here,
        message: "must declare at least one business group",
        hint: "Add the business group name with its roles or teams, or remove the anypoint block",
      };
    case "if":
    case "$ref":
      return undefined;
    default:
      return { ...here, message: err.message ?? err.keyword };
  }
}

const TYPE_NAMES: Record<string, string> = {
  array: "a list",
  object: "a mapping (key: value)",
  string: "text",
  boolean: "true or false",
  integer: "a whole number",
  number: "a number",
};

function isArrayAt(data: unknown, path: string[]): boolean {
  return Array.isArray(getAt(data, path));
}

function getAt(data: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>(
    (node, seg) => (node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[seg] : undefined),
    data,
  );
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value).slice(0, 60)}`;
}
