// HttpRoutes matching order: exact paths, then the longest matching prefix.
import { describe, expect, test } from "bun:test";
import { HttpRoutes, type HttpRouteHandler } from "../../../rpc/http/routes.ts";

const named = (name: string): HttpRouteHandler => Object.assign(() => {}, { routeName: name });
const nameOf = (h: HttpRouteHandler | undefined) => (h as { routeName?: string } | undefined)?.routeName;

describe("HttpRoutes", () => {
  test("exact beats prefix, longer prefix beats shorter, no match is undefined", () => {
    const r = new HttpRoutes();
    r.addPrefix("/v3/", named("v3"));
    r.addPrefix("/v3/kv/", named("v3kv"));
    r.add("/v3/kv/range", named("exact"));
    r.add("/health", named("health"));
    expect(nameOf(r.match("/v3/kv/range"))).toBe("exact");
    expect(nameOf(r.match("/v3/kv/put"))).toBe("v3kv");
    expect(nameOf(r.match("/v3/lease/grant"))).toBe("v3");
    expect(nameOf(r.match("/health"))).toBe("health");
    expect(r.match("/healthz")).toBeUndefined();
    expect(r.match("/v3")).toBeUndefined();
  });

  test("adding a route again replaces it", () => {
    const r = new HttpRoutes();
    r.addPrefix("/a/", named("1"));
    r.addPrefix("/a/", named("2"));
    r.add("/x", named("1"));
    r.add("/x", named("2"));
    expect([nameOf(r.match("/a/b")), nameOf(r.match("/x"))]).toEqual(["2", "2"]);
  });
});
