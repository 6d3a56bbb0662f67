// Cluster alarms (NOSPACE, CORRUPT) as etcd keeps them: bucket `alarm`, key = the marshaled
// etcdserverpb.AlarmMember {memberID, alarm}, empty value. Changed only by applying AlarmRequests from the
// Raft log, so every member agrees and the state survives restarts.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  type AlarmMember, AlarmMemberSchema, AlarmRequest_AlarmAction, AlarmType, type AlarmRequest,
} from "../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import type { BatchTx } from "../mvcc/batch_tx.ts";

const ALARM = new TextEncoder().encode("alarm");
const EMPTY = new Uint8Array(0);

export class Alarms {
  private readonly active: AlarmMember[] = [];

  constructor(private readonly backend: BatchTx) {
    backend.createBucket(ALARM);
    backend.bucket(ALARM).forEach((k) => {
      this.active.push(fromBinary(AlarmMemberSchema, k.slice()));
    });
  }

  list(type: AlarmType = AlarmType.NONE): AlarmMember[] {
    return this.active.filter((a) => type === AlarmType.NONE || a.alarm === type);
  }

  has(type: AlarmType): boolean {
    return this.active.some((a) => a.alarm === type);
  }

  /** Applies an AlarmRequest (from the log); returns the alarms it reports, as etcd's applyAlarm. */
  apply(req: AlarmRequest): AlarmMember[] {
    switch (req.action) {
      case AlarmRequest_AlarmAction.GET:
        return this.list(req.alarm);
      case AlarmRequest_AlarmAction.ACTIVATE: {
        if (req.alarm === AlarmType.NONE) return [];
        const m = create(AlarmMemberSchema, { memberID: req.memberID, alarm: req.alarm });
        if (!this.active.some((a) => a.memberID === m.memberID && a.alarm === m.alarm)) {
          this.active.push(m);
          this.backend.put(ALARM, toBinary(AlarmMemberSchema, m), EMPTY);
        }
        return [m];
      }
      case AlarmRequest_AlarmAction.DEACTIVATE: {
        const i = this.active.findIndex((a) => a.memberID === req.memberID && a.alarm === req.alarm);
        if (i < 0) return [];
        const [m] = this.active.splice(i, 1);
        this.backend.delete(ALARM, toBinary(AlarmMemberSchema, m));
        return [m];
      }
      default:
        return [];
    }
  }
}
