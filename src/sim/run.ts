// `rollcall sim`: both platform simulators as standalone servers, holding the sample organization
// (src/sim/sample-org.ts), for following the docs' steps or exploring (curl, a real pulumi stack
// pointed at them). Stops on Ctrl-C or after 30 idle minutes.
import { startSampleSimulators } from "./sample-org";

export async function runSimulators(options: { port?: number }): Promise<void> {
  const sims = await startSampleSimulators({ port: options.port, idleTimeoutSeconds: 1800 });
  const exports = Object.entries(sims.env).map(([k, v]) => `${k}=${v}`);
  process.stdout.write(
    [
      `Control Room simulator: ${sims.env.ROLLCALL_CONTROLROOM_URL} (request log: curl ${sims.env.ROLLCALL_CONTROLROOM_URL}` +
        `/__sim/requests)`,
      `Anypoint simulator: ${sims.env.ROLLCALL_ANYPOINT_URL} (request log: curl ${sims.env.ROLLCALL_ANYPOINT_URL}/__sim/requests)`,
      "In another shell, point rollcall at them:",
      `  export ${exports.join(" ")}`,
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
    void sims.controlRoom.server.closed.then(resolve);
    void sims.anypoint.server.closed.then(resolve);
  });
  await sims.stop();
}
