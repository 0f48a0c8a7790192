#!/usr/bin/env node
// rollcall's Node.js language host for the Pulumi engine.
//
// Why this exists: upstream's Go language host (module
// github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) is never tagged, and the Go
// module proxy reachable here refuses its pseudo-versions ("403 … This module version is not
// available"), so it cannot be built from Go modules. The engine only needs a plugin that speaks the
// LanguageRuntime gRPC service and runs `@pulumi/pulumi/cmd/run` — which ships in the npm package —
// so this file does exactly that, using the gRPC stubs from the same npm package. It assumes a
// precompiled program (Pulumi.yaml `typescript: false`): no ts-node, no dependency installs.
//
// Protocol: the engine starts us with flags and its own address as the last argument; we print the
// port we serve on, then answer RPCs. Run() spawns node on cmd/run with the request's arguments and
// PULUMI_CONFIG in the environment, wiring stdout/stderr through so program output reaches the engine.
"use strict";
const path = require("node:path");
const { spawn } = require("node:child_process");

const projectDir = process.cwd();
const fromProject = (m) => require(require.resolve(m, { paths: [projectDir, path.join(projectDir, "node_modules/@pulumi/pulumi")] }));
let grpc, langproto, langrpc, pluginproto, emptyproto;
try {
  grpc = fromProject("@grpc/grpc-js");
  langrpc = fromProject("@pulumi/pulumi/proto/language_grpc_pb.js");
  langproto = fromProject("@pulumi/pulumi/proto/language_pb.js");
  pluginproto = fromProject("@pulumi/pulumi/proto/plugin_pb.js");
  emptyproto = fromProject("google-protobuf/google/protobuf/empty_pb.js");
} catch (err) {
  console.error(`pulumi-language-nodejs (rollcall): cannot load @pulumi/pulumi from ${projectDir}: ${err.message}. Run the project's set-up (make setup) first.`);
  process.exit(1);
}
const sdkVersion = fromProject("@pulumi/pulumi/package.json").version;

// Flags the engine may pass before its address (--logtostderr, -v=N, --tracing URL).
const argv = process.argv.slice(2);
let tracing = "";
const positional = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--tracing") tracing = argv[++i] ?? "";
  else if (!argv[i].startsWith("-")) positional.push(argv[i]);
}
let engineAddress = positional[positional.length - 1] ?? "";
let programDirectory = projectDir;

// The engine starts a plugin and ignores it when it dies; make sure a run's child does not outlive us.
const children = new Set();
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => { for (const c of children) c.kill(sig); process.exit(0); });

function unimplemented(name) {
  return (_call, callback) => callback({ code: grpc.status.UNIMPLEMENTED, details: `${name} is not implemented by rollcall's language host` });
}

function runProgram(req) {
  const args = [path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [projectDir] })), "cmd", "run")];
  const add = (flag, value) => { if (value !== undefined && value !== "" && value !== 0) args.push(`--${flag}`, String(value)); };
  add("monitor", req.getMonitorAddress());
  add("engine", engineAddress);
  add("organization", req.getOrganization());
  add("project", req.getProject());
  add("stack", req.getStack());
  add("pwd", req.getPwd());
  const info = req.getInfo();
  add("root-directory", info ? info.getRootDirectory() : "");
  if (req.getDryrun()) args.push("--dry-run");
  add("parallel", req.getParallel());
  add("tracing", tracing);
  // "." lets node resolve package.json "main" in the program directory.
  args.push(info && info.getEntryPoint() ? info.getEntryPoint() : ".");
  args.push(...req.getArgsList());

  const config = {};
  req.getConfigMap().forEach((value, key) => { config[key] = value; });
  const env = {
    ...process.env,
    PULUMI_CONFIG: JSON.stringify(config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()),
    PULUMI_NODEJS_TYPESCRIPT: "false",
  };
  const cwd = (info && info.getProgramDirectory()) || req.getPwd() || programDirectory;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "inherit", "inherit"] });
    children.add(child);
    child.on("error", (err) => { children.delete(child); resolve({ error: `could not start node: ${err.message}`, bail: false }); });
    child.on("exit", (code, signal) => {
      children.delete(child);
      // 32: the program already reported its error to the engine (cmd/run's
      // nodeJSProcessExitedAfterLoggingUserActionableMessage); bail without a second message.
      if (code === 0) resolve({ error: "", bail: false });
      else if (code === 32) resolve({ error: "", bail: true });
      else resolve({ error: signal ? `Program was killed by ${signal}` : `Program exited with non-zero exit code: ${code}`, bail: false });
    });
  });
}

const impl = {
  handshake(call, callback) {
    const req = call.request;
    if (req.getEngineAddress()) engineAddress = req.getEngineAddress();
    if (req.getProgramDirectory()) programDirectory = req.getProgramDirectory();
    callback(null, new langproto.LanguageHandshakeResponse());
  },
  getPluginInfo(_call, callback) {
    const info = new pluginproto.PluginInfo();
    info.setVersion(sdkVersion);
    callback(null, info);
  },
  getRequiredPlugins(_call, callback) {
    callback(null, new langproto.GetRequiredPluginsResponse());
  },
  getRequiredPackages(_call, callback) {
    callback(null, new langproto.GetRequiredPackagesResponse());
  },
  run(call, callback) {
    runProgram(call.request).then(({ error, bail }) => {
      const resp = new langproto.RunResponse();
      resp.setError(error);
      resp.setBail(bail);
      callback(null, resp);
    }, (err) => callback({ code: grpc.status.INTERNAL, details: String(err && err.stack || err) }));
  },
  installDependencies(call) {
    // Dependencies are installed by the project's set-up script, never by the engine.
    call.end();
  },
  runtimeOptionsPrompts(_call, callback) {
    callback(null, new langproto.RuntimeOptionsResponse());
  },
  about(_call, callback) {
    const resp = new langproto.AboutResponse();
    resp.setExecutable(process.execPath);
    resp.setVersion(process.versions.node);
    callback(null, resp);
  },
  getProgramDependencies(_call, callback) {
    const resp = new langproto.GetProgramDependenciesResponse();
    const dep = new langproto.DependencyInfo();
    dep.setName("@pulumi/pulumi");
    dep.setVersion(sdkVersion);
    resp.setDependenciesList([dep]);
    callback(null, resp);
  },
  cancel(_call, callback) {
    for (const c of children) c.kill("SIGINT");
    callback(null, new emptyproto.Empty());
  },
};

const service = langrpc.LanguageRuntimeService;
const handlers = {};
for (const name of Object.keys(service)) {
  const method = service[name].originalName || name;
  handlers[name] = impl[method] || impl[name] || unimplemented(name);
}
const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
server.addService(service, handlers);
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) {
    console.error(`pulumi-language-nodejs (rollcall): could not listen: ${err.message}`);
    process.exit(1);
  }
  process.stdout.write(`${port}\n`);
});
