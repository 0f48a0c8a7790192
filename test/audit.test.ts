// The audit sink on its own: one line per mutating attempt, with the request id, the people a
// (coalesced) call acts for, and nothing of the request's body or headers.
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Coalescer } from "../src/core/batch/coalescer";
import { HttpClient } from "../src/core/http/client";
import { auditedProviders } from "../src/features/audit/context";
import { installAuditSink, type AuditLine } from "../src/features/audit/sink";
import type { ShimTarget } from "../src/pulumi/shim";

describe("audit sink", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rollcall-audit-"));
  const file = path.join(dir, "audit.jsonl");
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(req.url === "/fail" ? 500 : 200, {
        "content-type": "application/json",
        "x-request-id": `req-${req.method}-${req.url!.split("?")[0]}`,
      });
      res.end("{}");
    });
  });
  let http: HttpClient;
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    http = new HttpClient({
      platform: "Test",
      baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
      retry: { maxAttempts: 1 },
    });
    installAuditSink(() => ({ file, stack: "unit" }));
  });
  afterAll(async () => {
    await http.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes one line per mutating call, attributed to the people it acts for, and never the body", async () => {
    const coalescer = new Coalescer<string, void>({
      windowMs: 20,
      maxBatch: 10,
      sendBatch: async (ids) => (await http.call({ method: "DELETE", path: "/users", body: ids }), ids.map(() => undefined)),
      sendOne: async () => undefined,
    });
    const target: ShimTarget = {
      configure: async () => {},
      diff: async () => ({}),
      create: async () => (await http.call({ method: "POST", path: "/users?token=abc", body: { password: "secret-pass" } }), { id: "1" }),
      read: async (id) => (
        await http.call({ method: "GET", path: "/users/1" }),
        await http.call({ method: "POST", path: "/users/list", body: {} }),
        { id }
      ),
      update: async () => ({}),
      delete: async () => coalescer.submit("x"),
    };
    const p = auditedProviders("Test", { User: target }).User!;
    await p.create({ username: "ada" });
    await p.read("1", { username: "ada" });
    await Promise.all([p.delete("1", { username: "bob" }), p.delete("2", { username: "cyd" })]);
    await expect(http.call({ method: "PUT", path: "/fail" })).rejects.toThrow();
    const text = readFileSync(file, "utf8");
    const lines = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as AuditLine);
    expect(lines.map((l) => [l.platform, l.people, l.method, l.path, l.status, l.requestId])).toEqual([
      ["Test", ["ada"], "POST", "/users", 200, "req-POST-/users"],
      ["Test", ["bob", "cyd"], "DELETE", "/users", 200, "req-DELETE-/users"],
      ["", [], "PUT", "/fail", 500, "req-PUT-/fail"],
    ]);
    expect(lines.every((l) => l.stack === "unit" && l.run === lines[0]!.run && !Number.isNaN(Date.parse(l.time)))).toBe(true);
    expect(text).not.toMatch(/secret-pass|token/);
  });
});
