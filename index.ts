// The rollcall Pulumi program: users.yaml → validated model → one resource per platform membership.
// Anything wrong with the file throws here, before a single resource is registered, so a broken or
// empty users.yaml can never be read as "remove everyone".
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { GENERAL_KEYS, setting } from "./src/config";
import { loadUsersFile } from "./src/model/load";
import { declareControlRoomUsers } from "./src/plan/controlroom";

const config = new pulumi.Config("rollcall");
const usersFile = path.resolve(setting((k) => config.get(k.replace(/^rollcall:/, "")), "usersFile", GENERAL_KEYS.usersFile) ?? "users.yaml");

const model = loadUsersFile(usersFile);

const controlRoomUsers = declareControlRoomUsers(model);

export const people = model.people.length;
export const controlRoom = controlRoomUsers.map((u) => u.username);
