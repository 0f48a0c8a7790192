// Raw HTTP against the Anypoint simulator (what any client would see on the wire), and the
// settings a real AnypointClient needs to reach it.
import { request } from "undici";
import type { AnypointSimulator } from "../../src/sim/anypoint/simulator";
import { SIM_ANYPOINT_APP } from "../../src/sim/anypoint/simulator";

export interface Answer<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  text: string;
}

export function wire(sim: AnypointSimulator) {
  const send = async <T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; form?: string } = {},
  ): Promise<Answer<T>> => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.form !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
    else if (options.body !== undefined) headers["content-type"] = "application/json";
    const res = await request(`${sim.url}${path}`, {
      method: method as "GET",
      headers,
      body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await res.body.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.statusCode, headers: res.headers, body: body as T, text };
  };
  return {
    send,
    /** A bearer token for a connected app (the admin app by default). */
    async token(app: { clientId: string; clientSecret: string } = SIM_ANYPOINT_APP): Promise<string> {
      const res = await send<{ access_token: string }>("POST", "/accounts/api/v2/oauth2/token", {
        body: { grant_type: "client_credentials", client_id: app.clientId, client_secret: app.clientSecret },
      });
      if (res.status !== 200) throw new Error(`token: ${res.status} ${res.text}`);
      return res.body.access_token;
    },
    async login(username: string, password: string): Promise<string> {
      const res = await send<{ access_token: string }>("POST", "/accounts/login", { body: { username, password } });
      if (res.status !== 200) throw new Error(`login: ${res.status} ${res.text}`);
      return res.body.access_token;
    },
    org: (name?: string) => `/accounts/api/organizations/${name === undefined ? sim.state.master.id : sim.state.orgByName(name)!.id}`,
  };
}

/** Settings for AnypointClient pointed at the simulator with a connected app. */
export function appConnection(sim: AnypointSimulator, app: { clientId: string; clientSecret: string } = SIM_ANYPOINT_APP) {
  return { url: sim.url, clientId: app.clientId, clientSecret: app.clientSecret };
}

/** Paths with the organization ids replaced by names, for readable assertions on the request log. */
export function readable(sim: AnypointSimulator, path: string): string {
  let out = path;
  for (const o of sim.state.orgs.values()) out = out.replaceAll(o.id, o.parentId ? o.name : "MASTER");
  for (const u of sim.state.users.values()) out = out.replaceAll(u.id, u.username);
  return out;
}
