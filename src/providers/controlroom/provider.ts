// The module every stored Control Room shim loads: dist/providers/controlroom/provider.js and its
// export `providers[kind]` — a path deployed states hold (src/pulumi/shim.ts), so it never moves.
// It is an entry point of the composition root, not platform code: the import check counts it with
// the program, which decorates every platform's providers the same way, once (src/program/providers.ts).
import { decorated } from "../../program/providers";
import { controlRoomKinds } from "./user-provider";

export * from "./user-provider";

export const providers = decorated("controlroom", controlRoomKinds);
