// Randomized, seeded simulation of 3- and 5-node clusters under message loss, duplication, reordering,
// partitions, crashes and restarts, compaction and leader transfer, with every Raft safety property
// checked after each step and liveness checked once the network heals.
// Reproduce a failure with RAFT_SIM_SEED=<seed> (and RAFT_SIM_SIZE=<3|5>); RAFT_SIM_STEPS, RAFT_SIM_RUNS scale it.
import { describe, expect, test } from "bun:test";
import { Simulation, type SimStats } from "./support/sim.ts";

const env = process.env;
const steps = Number(env.RAFT_SIM_STEPS ?? 2500);
const runs = Number(env.RAFT_SIM_RUNS ?? 100);
const baseSeed = env.RAFT_SIM_SEED !== undefined ? Number(env.RAFT_SIM_SEED) : 20240601;
const sizes = env.RAFT_SIM_SIZE !== undefined ? [Number(env.RAFT_SIM_SIZE)] : [3, 5];
const seeds = env.RAFT_SIM_SEED !== undefined ? [baseSeed] : Array.from({ length: runs }, (_, i) => baseSeed + i);

function runOne(size: number, seed: number): SimStats {
  try {
    return new Simulation({ size, seed, steps }).run();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(`${msg}\n  reproduce with: RAFT_SIM_SEED=${seed} RAFT_SIM_SIZE=${size} bun test tests/engine/raft/simulation`);
  }
}

describe("randomized simulation", () => {
  for (const size of sizes) {
    test(`${size} nodes, ${seeds.length} seeds x ${steps} steps: safety after every step, liveness after healing`, () => {
      const total = { steps: 0, proposed: 0, applied: 0, reads: 0, crashes: 0, partitions: 0, snapshots: 0, maxTerm: 0, maxCommit: 0 };
      for (const seed of seeds) {
        const s = runOne(size, seed);
        for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] = k.startsWith("max") ? Math.max(total[k], s[k]) : total[k] + s[k];
      }
      console.log(`sim ${size} nodes: ${JSON.stringify(total)}`);
      // The run must have exercised the system, not idled.
      expect(total.steps).toBe(seeds.length * steps);
      expect(total.applied).toBeGreaterThan(0);
      expect(total.reads).toBeGreaterThan(0);
      expect(total.snapshots).toBeGreaterThan(0);
    }, 120_000);
  }
});
