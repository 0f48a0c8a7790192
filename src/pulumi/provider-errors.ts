// The Node.js dynamic-provider process (node_modules/@pulumi/pulumi/cmd/dynamic-provider) answers
// a failed check, diff, read or delete with `console.error(`${e}: ${e.stack}`)` before it hands the
// error to the engine, which prints the message itself: the user sees every refresh or delete
// failure twice, once with a stack trace of rollcall's internals. (create and update do not echo.)
//
// rollcall's messages already name the platform, the call and what to do, and the engine prints
// them once under the resource (the person). So the provider methods run here remember each error
// they throw, and the process's console.error drops exactly that echo line, once: any other
// console.error (an uncaught error, another provider's failure) still prints. The line is known by
// its head, `${e}: `, and its stack frames, not by the frames' text, which source-map-support
// formats on its own.
import type { ShimTarget } from "./shim";

/** Heads of echo lines still expected from the dynamic-provider process, one per error thrown. */
const expectedEchoes = new Map<string, number>();
let filterInstalled = false;

/** How the line the dynamic-provider process prints for `err` (`${e}: ${e.stack}`) begins. */
function echoHead(err: Error): string {
  return `${err}: `;
}

/** The remembered head `line` starts with, if it is a single-string echo of an error we threw. */
function matchingHead(args: unknown[]): string | undefined {
  if (args.length !== 1 || typeof args[0] !== "string") return undefined;
  const line = args[0];
  if (!line.includes("\n    at ")) return undefined;
  for (const head of expectedEchoes.keys()) if (line.startsWith(head)) return head;
  return undefined;
}

function installEchoFilter(): void {
  if (filterInstalled) return;
  filterInstalled = true;
  const print = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    const head = matchingHead(args);
    if (head === undefined) return print(...args);
    const pending = expectedEchoes.get(head)!;
    if (pending === 1) expectedEchoes.delete(head);
    else expectedEchoes.set(head, pending - 1);
  };
}

/** Runs a method whose failure the dynamic-provider process echoes, remembering the echo to drop. */
async function echoedOnce<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof Error) {
      const head = echoHead(err);
      expectedEchoes.set(head, (expectedEchoes.get(head) ?? 0) + 1);
    }
    throw err;
  }
}

/** The provider targets with read, diff and delete failures printed once, by the engine, without a stack. */
export function printedOnce(targets: Record<string, ShimTarget>): Record<string, ShimTarget> {
  installEchoFilter();
  const wrap = (t: ShimTarget): ShimTarget => ({
    configure: (req) => t.configure(req),
    diff: (id, olds, news) => echoedOnce(() => t.diff(id, olds, news)),
    create: (inputs) => t.create(inputs),
    read: (id, props) => echoedOnce(() => t.read(id, props)),
    update: (id, olds, news) => t.update(id, olds, news),
    delete: (id, props) => echoedOnce(() => t.delete(id, props)),
  });
  return Object.fromEntries(Object.entries(targets).map(([kind, t]) => [kind, wrap(t)]));
}
