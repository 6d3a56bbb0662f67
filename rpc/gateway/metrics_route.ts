// GET /metrics: the server's Prometheus text exposition (promhttp answers any method, so does this).
import { sendText, type HttpRouteHandler } from "../http/routes.ts";
import { CORS_HEADERS } from "../http/cors.ts";

export const PROMETHEUS_TEXT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export function metricsRoute(metricsText: () => string): HttpRouteHandler {
  return (ex) => sendText(ex, 200, metricsText(), PROMETHEUS_TEXT_TYPE, CORS_HEADERS);
}
