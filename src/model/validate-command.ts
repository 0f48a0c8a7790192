// INTERIM validate command (replaced by the full one).
import { loadUsersFile } from "./load";
export async function runValidate(args: string[], io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  try {
    const m = loadUsersFile(args[0] ?? "users.yaml");
    io.out(`${args[0] ?? "users.yaml"}: OK, ${m.people.length} people`);
    return 0;
  } catch (e) {
    io.err((e as Error).message);
    return 1;
  }
}
