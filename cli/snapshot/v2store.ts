// The v2 store that etcd 3.4 keeps in a .snap file's data (and from which it recovers the membership at
// start), as `etcdctl snapshot restore` writes it: an empty store into which each member was added in id
// order, i.e. one create of /0/members/<id>/raftAttributes = {"peerURLs":[…]} per member at store indexes
// 1..n, recorded in the watcher hub's 1000-slot event history. The JSON is Go's encoding/json of
// v2store.store: struct fields in declaration order, map keys sorted, <, > and & escaped.
import { idString } from "../../engine/server/ids.ts";
import type { Member } from "../../engine/server/membership.ts";

const HISTORY = 1000;
const NO_EXPIRY = "0001-01-01T00:00:00Z";

function goJson(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

interface Node {
  Path: string;
  CreatedIndex: number;
  ModifiedIndex: number;
  ExpireTime: string;
  Value: string;
  Children: Record<string, Node> | null;
}

function node(path: string, index: number, value: string, children: Record<string, Node> | null): Node {
  return { Path: path, CreatedIndex: index, ModifiedIndex: index, ExpireTime: NO_EXPIRY, Value: value, Children: children };
}

function sortedKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The v2 store JSON after adding `members` (sorted by id) to an empty store. */
export function v2StoreJson(members: Member[]): string {
  const memberNodes: Record<string, Node> = {};
  const events: unknown[] = [];
  members.forEach((m, i) => {
    const index = i + 1;
    const id = idString(m.id);
    const key = `/0/members/${id}/raftAttributes`;
    const value = goJson({ peerURLs: m.peerURLs });
    memberNodes[id] = node(`/0/members/${id}`, index, "", { raftAttributes: node(key, index, value, null) });
    events.push({ action: "create", node: { key, value, modifiedIndex: index, createdIndex: index } });
  });
  const n = members.length;
  const zero = node("/0", 0, "", n > 0 ? { members: node("/0/members", 1, "", sortedKeys(memberNodes)) } : {});
  const store = {
    Root: node("/", 0, "", { "0": zero, "1": node("/1", 0, "", {}) }),
    WatcherHub: {
      EventHistory: {
        Queue: {
          Events: [...events.slice(-HISTORY), ...new Array(Math.max(0, HISTORY - n)).fill(null)],
          Size: Math.min(n, HISTORY),
          Front: 0,
          Back: n % HISTORY,
          Capacity: HISTORY,
        },
        StartIndex: n > 0 ? 1 : 0,
        LastIndex: n,
      },
    },
    CurrentIndex: n,
    Stats: {
      getsSuccess: 0, getsFail: 0, setsSuccess: 0, setsFail: 0, deleteSuccess: 0, deleteFail: 0,
      updateSuccess: 0, updateFail: 0, createSuccess: n, createFail: 0, compareAndSwapSuccess: 0,
      compareAndSwapFail: 0, compareAndDeleteSuccess: 0, compareAndDeleteFail: 0, expireCount: 0, watchers: 0,
    },
    CurrentVersion: 2,
  };
  return goJson(store);
}
