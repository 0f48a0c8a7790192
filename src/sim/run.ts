// `rollcall sim`: the simulators as standalone servers for manual exploration (curl, a real
// pulumi stack pointed at them). Stops on Ctrl-C or after 30 idle minutes.
import { ControlRoomSimulator, SIM_ADMIN } from "./controlroom/simulator";

export async function runSimulators(options: { port?: number }): Promise<void> {
  const controlRoom = new ControlRoomSimulator({ port: options.port ?? 0, idleTimeoutSeconds: 1800 });
  const url = await controlRoom.start();
  process.stdout.write(
    [
      `Control Room simulator: ${url}`,
      `  export ROLLCALL_CONTROLROOM_URL=${url} ROLLCALL_CONTROLROOM_USERNAME=${SIM_ADMIN.username} ROLLCALL_CONTROLROOM_API_KEY=${SIM_ADMIN.apiKey}`,
      `  request log: curl ${url}/__sim/requests`,
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
    void controlRoom.server.closed.then(resolve);
  });
  await controlRoom.stop();
}
