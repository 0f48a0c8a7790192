// Figures the README figures check measures itself, each time it runs, because measuring is cheap
// and exact: the byte size of each stored provider shim, the text the resources store in
// `__provider` (test/e2e/secrets.test.ts checks the stored text has the same size).
import { providers as anypointProviders } from "../../providers/anypoint/provider";
import { providers as controlRoomProviders } from "../../providers/controlroom/provider";
import { providerShim, shimText, type PlatformModule } from "../../pulumi/shim";

/** Every resource kind the shims forward to, from the provider modules themselves. */
const SHIMS: [PlatformModule, string][] = [
  ...Object.keys(controlRoomProviders).map((kind): [PlatformModule, string] => ["controlroom", kind]),
  ...Object.keys(anypointProviders).map((kind): [PlatformModule, string] => ["anypoint", kind]),
];

/** The text of one shim exactly as the resources store it in `__provider`. */
export async function serializedShim(platform: PlatformModule, kind: string): Promise<string> {
  return shimText(providerShim(platform, kind));
}

/** Live figures by key: `shim.bytes.<kind>`, `shim.bytes.min`, `shim.bytes.max`. */
export async function liveFigures(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [platform, kind] of SHIMS) out[`shim.bytes.${kind}`] = Buffer.byteLength(await serializedShim(platform, kind));
  const sizes = SHIMS.map(([, kind]) => out[`shim.bytes.${kind}`]!);
  out["shim.bytes.min"] = Math.min(...sizes);
  out["shim.bytes.max"] = Math.max(...sizes);
  return out;
}
