// The Control Room users as one paged listing showed them, taken once per provider process, so
// adoption and `pulumi refresh` cost pages, not people: at 5,000 people a refresh would otherwise
// send 5,000 GET /usermanagement/users/{id}.
//
// A listing is a snapshot, so it is only trusted for an answer it has not been asked before: each
// id is handed out once (a second read of the same user in one process asks the API again), a user
// this process created, changed or deleted leaves the snapshot, and a user missing from it is looked
// up by id before it is declared gone — a user created after the listing is never mistaken for one
// deleted outside rollcall.
import type { ControlRoomClient, ControlRoomUserRecord } from "./client";
import { Lazy } from "../../core/util/lazy";

interface Snapshot {
  byUsername: Map<string, ControlRoomUserRecord>;
  byId: Map<number, ControlRoomUserRecord>;
}

export class ControlRoomUserListing {
  /** Ids whose listed record was already handed out, or that this process changed. */
  private readonly spent = new Set<number>();
  private readonly snapshot = new Lazy<Snapshot>(async () => {
    const users = await this.client().listUsers();
    return {
      byUsername: new Map(users.map((u) => [u.username.toLowerCase(), u] as const)),
      byId: new Map(users.map((u) => [u.id, u] as const)),
    };
  });

  constructor(private readonly client: () => ControlRoomClient) {}

  /** The user with this username (case-insensitive), for adoption; undefined when there is none. */
  async byUsername(username: string): Promise<ControlRoomUserRecord | undefined> {
    const listed = (await this.snapshot.get()).byUsername.get(username.toLowerCase());
    if (!listed || !this.spent.has(listed.id)) return listed;
    return this.client().findUserByUsername(username);
  }

  /** The live user with this id, or undefined when it is gone: from the listing once, then from the API. */
  async read(id: number): Promise<ControlRoomUserRecord | undefined> {
    const listed = (await this.snapshot.get()).byId.get(id);
    if (listed && !this.spent.has(id)) {
      this.spent.add(id);
      return listed;
    }
    return this.client().getUser(id);
  }

  /** This process created, changed or deleted the user: whatever the listing says about it is no longer true. */
  forget(id: number): void {
    this.spent.add(id);
  }
}
