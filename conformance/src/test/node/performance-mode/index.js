// performance_mode (util/perfmode/v1/performance_mode.proto) in Node.js: a non-Java implementation
// that the conformance suite starts as a command, to prove the suite speaks only the wire.
//
// Environment: NATS_URL (required), REDIS_URL (required: client modes live in Redis),
// NH_KEY_PREFIX (prefix of every Redis key, default "nh:"), NH_SERVICES (comma-separated; this
// program serves only performance_mode and refuses to start for any other name).
"use strict";

const path = require("node:path");
const protobuf = require("protobufjs");
const { connect, headers: natsHeaders, nanos } = require("nats");
const { createClient } = require("redis");

const SERVICE = "performance_mode";
const VERSION = "1.0.0";
const PROTO_ROOT = path.resolve(__dirname, "../../../../../proto/src/main/protobuf");
// google/api and google/rpc come from proto-google-common-protos 2.63.1 and
// google/protobuf/descriptor.proto from protobuf-java (both Apache 2.0/BSD), copied here because
// the Java build reads them from those jars, which Node cannot.
const VENDOR_ROOT = path.join(__dirname, "proto-vendor");
const EVENT_SUBJECT = "evt.util.perfmode.v1.mode_changed";
const EVENT_STREAM = "EVT_UTIL";
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

// WIRE.md's table: canonical name -> [gRPC number, Nats-Service-Error-Code].
const CODES = {
  INVALID_ARGUMENT: [3, 400],
  DEADLINE_EXCEEDED: [4, 504],
  UNAVAILABLE: [14, 503],
  INTERNAL: [13, 500],
};

// proto3 JSON writes a Timestamp as RFC 3339 text; protobufjs only knows Any, so teach it.
protobuf.wrappers[".google.protobuf.Timestamp"] = {
  fromObject(object) {
    if (typeof object === "string") {
      const millis = Date.parse(object);
      if (Number.isNaN(millis)) {
        throw new TypeError("invalid timestamp: " + object);
      }
      return this.create({ seconds: Math.floor(millis / 1000), nanos: (millis % 1000) * 1e6 });
    }
    return this.fromObject(object);
  },
  toObject(message, options) {
    if (options && options.json) {
      const millis = Number(message.seconds) * 1000 + Math.floor((message.nanos || 0) / 1e6);
      return new Date(millis).toISOString();
    }
    return this.toObject(message, options);
  },
};

class RpcError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

function loadTypes() {
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => {
    if (target.startsWith("google/protobuf/") && target !== "google/protobuf/descriptor.proto") {
      return target; // bundled with protobufjs (any, timestamp, ...), but not descriptor.proto
    }
    if (target.startsWith("google/")) {
      return path.join(VENDOR_ROOT, target);
    }
    return path.join(PROTO_ROOT, target);
  };
  root.loadSync(["util/perfmode/v1/performance_mode.proto", "google/rpc/status.proto"]);
  root.resolveAll();
  const t = (name) => root.lookupType(name);
  return {
    ClientMode: t("util.perfmode.v1.ClientMode"),
    GetModeRequest: t("util.perfmode.v1.GetModeRequest"),
    SetModeRequest: t("util.perfmode.v1.SetModeRequest"),
    RecommendRequest: t("util.perfmode.v1.RecommendRequest"),
    Recommendation: t("util.perfmode.v1.Recommendation"),
    ModeChanged: t("util.perfmode.v1.ModeChanged"),
    Status: t("google.rpc.Status"),
    ErrorDetail: t("common.v1.ErrorDetail"),
    Mode: root.lookupEnum("util.perfmode.v1.Mode").values,
  };
}

const T = loadTypes();
const JSON_OPTIONS = { longs: String, enums: String, bytes: String, json: true };

// ---- encodings (WIRE.md): protobuf by default, proto3 JSON on request -------------------------

function encodingOf(msg) {
  const value = msg.headers ? msg.headers.get("Content-Type") : "";
  const media = (value || "").split(";")[0].trim().toLowerCase();
  if (media === "" || media === "application/protobuf" || media === "application/x-protobuf") {
    return "protobuf";
  }
  if (media === "application/json") {
    return "json";
  }
  throw new RpcError("INVALID_ARGUMENT", `unsupported Content-Type '${value}': use application/protobuf or application/json`, "Content-Type");
}

// proto3 JSON parsers accept the original field names too; protobufjs only knows lowerCamelCase.
function camelKeys(value) {
  if (Array.isArray(value)) {
    return value.map(camelKeys);
  }
  if (value !== null && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      out[k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())] = camelKeys(v);
    }
    return out;
  }
  return value;
}

function decode(type, msg, encoding) {
  try {
    if (encoding === "json") {
      const text = Buffer.from(msg.data).toString("utf8");
      const object = text.trim() === "" ? {} : JSON.parse(text);
      if (object === null || typeof object !== "object" || Array.isArray(object)) {
        throw new TypeError("a JSON object is expected");
      }
      return type.fromObject(camelKeys(object));
    }
    return type.decode(msg.data);
  } catch (e) {
    throw new RpcError("INVALID_ARGUMENT", `malformed ${type.name} (${encoding}): ${e.message}`, "");
  }
}

function encode(type, message, encoding) {
  if (encoding === "json") {
    return Buffer.from(JSON.stringify(type.toObject(message, JSON_OPTIONS)), "utf8");
  }
  return type.encode(message).finish();
}

// ---- replies ---------------------------------------------------------------------------------

function replyHeaders(msg, encoding) {
  const h = natsHeaders();
  h.set("Content-Type", encoding === "json" ? "application/json" : "application/protobuf");
  const requestId = msg.headers ? msg.headers.get("Nh-Request-Id") : "";
  if (requestId) {
    h.set("Nh-Request-Id", requestId);
  }
  return h;
}

function statusBody(err, encoding) {
  const [code] = CODES[err.status];
  const details = err.field !== undefined
    ? [{ reason: err.status, field: err.field, description: err.message }]
    : [];
  if (encoding === "json") {
    return Buffer.from(JSON.stringify({
      code,
      message: err.message,
      details: details.map((d) => ({ "@type": "type.googleapis.com/common.v1.ErrorDetail", ...d })),
    }), "utf8");
  }
  return T.Status.encode(T.Status.create({
    code,
    message: err.message,
    details: details.map((d) => ({
      type_url: "type.googleapis.com/common.v1.ErrorDetail",
      value: T.ErrorDetail.encode(T.ErrorDetail.create(d)).finish(),
    })),
  })).finish();
}

// Headers carry CRLF text: the full message travels in the Status body, the header gets one line.
function headerText(message) {
  return message.replace(/[\r\n]+/g, " ");
}

// ---- state: one Redis hash per client ---------------------------------------------------------

// Compare-and-set in one step: an unchanged mode keeps its version; otherwise version + 1.
const SET_SCRIPT = `
local mode = redis.call('HGET', KEYS[1], 'mode')
if mode == ARGV[1] then
  return {0, mode, unpack(redis.call('HMGET', KEYS[1], 'version', 'created', 'updated'))}
end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSETNX', KEYS[1], 'created', ARGV[2])
redis.call('HSET', KEYS[1], 'mode', ARGV[1], 'updated', ARGV[2])
return {1, mode or '', tostring(version), unpack(redis.call('HMGET', KEYS[1], 'created', 'updated'))}
`;

function timestamp(millis) {
  const ms = Number(millis);
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

function checkClientId(id) {
  if (!CLIENT_ID.test(id)) {
    throw new RpcError("INVALID_ARGUMENT", `client_id must be 1-128 characters of [A-Za-z0-9._:-], got ${JSON.stringify(id.slice(0, 40))}${id.length > 40 ? "..." : ""}`, "client_id");
  }
}

function makeHandlers(redis, js, keyPrefix) {
  const key = (id) => `${keyPrefix}perfmode:client:${id}`;

  async function getMode(req) {
    checkClientId(req.clientId);
    const stored = await redis.hGetAll(key(req.clientId));
    if (!stored.mode) {
      return T.ClientMode.create({ clientId: req.clientId, mode: T.Mode.BALANCED, isDefault: true });
    }
    return clientMode(req.clientId, stored.mode, stored.version, stored.created, stored.updated);
  }

  function clientMode(id, mode, version, created, updated) {
    return T.ClientMode.create({
      clientId: id,
      mode: T.Mode[mode],
      isDefault: false,
      meta: { createdAt: timestamp(created), updatedAt: timestamp(updated), version: Number(version) },
    });
  }

  async function setMode(req, msg) {
    checkClientId(req.clientId);
    const modeName = Object.keys(T.Mode).find((n) => T.Mode[n] === req.mode);
    if (!modeName || req.mode === T.Mode.MODE_UNSPECIFIED) {
      throw new RpcError("INVALID_ARGUMENT", `mode is required: one of LOW, BALANCED, HIGH, ULTRA (got ${req.mode})`, "mode");
    }
    const [changed, previous, version, created, updated] = await redis.eval(SET_SCRIPT, {
      keys: [key(req.clientId)],
      arguments: [modeName, String(Date.now())],
    });
    if (Number(changed) === 1) {
      await publishChanged(req.clientId, previous || "BALANCED", modeName, Number(version), msg);
    }
    return clientMode(req.clientId, modeName, version, created, updated);
  }

  async function publishChanged(clientId, previous, mode, version, msg) {
    const event = T.ModeChanged.create({
      clientId, previousMode: T.Mode[previous], mode: T.Mode[mode], version,
    });
    const h = natsHeaders();
    h.set("Content-Type", "application/protobuf");
    // The event is the downstream hop: the caller's trace continues on it.
    for (const name of ["traceparent", "tracestate"]) {
      const value = msg.headers ? msg.headers.get(name) : "";
      if (value) {
        h.set(name, value);
      }
    }
    try {
      // Client and version name the change, so a retried publish is stored once.
      await js.publish(EVENT_SUBJECT, T.ModeChanged.encode(event).finish(),
        { msgID: `mode_changed:${clientId}:${version}`, headers: h, expect: { streamName: EVENT_STREAM } });
    } catch (e) {
      throw new RpcError("UNAVAILABLE", `cannot publish mode_changed for ${clientId}: ${e.message}`);
    }
  }

  async function recommend(req) {
    const p = req.profile;
    if (!p) {
      throw new RpcError("INVALID_ARGUMENT", "profile is required", "profile");
    }
    const range = (field, value, low, high) => {
      if (value < low || value > high) {
        throw new RpcError("INVALID_ARGUMENT", `profile.${field} must be in [${low}, ${high}], got ${value}`, `profile.${field}`);
      }
    };
    range("cpu_cores", p.cpuCores, 1, 1024);
    range("ram_mb", p.ramMb, 256, 16777216);
    range("gpu_vram_mb", p.gpuVramMb, 0, 1048576);
    const tier = (value, limits) => {
      const i = limits.findIndex((limit) => value < limit);
      return i < 0 ? 3 : i;
    };
    const cpuTier = tier(p.cpuCores, [4, 6, 8]);
    const memoryTier = tier(p.ramMb, [4096, 8192, 16384]);
    const gpuTier = tier(p.gpuVramMb, [2048, 4096, 8192]);
    const describe = (field, value, limits, t) => (t < 3
      ? `${field} ${value} < ${limits[t]}: ${field.split("_")[0] === "ram" ? "memory" : field.split("_")[0]} tier ${t}`
      : `${field} ${value} >= ${limits[2]}: ${field.split("_")[0] === "ram" ? "memory" : field.split("_")[0]} tier 3`);
    const reasons = [
      describe("cpu_cores", p.cpuCores, [4, 6, 8], cpuTier),
      describe("ram_mb", p.ramMb, [4096, 8192, 16384], memoryTier),
      describe("gpu_vram_mb", p.gpuVramMb, [2048, 4096, 8192], gpuTier),
    ];
    const lowest = Math.min(cpuTier, memoryTier, gpuTier);
    const byTier = [T.Mode.LOW, T.Mode.BALANCED, T.Mode.HIGH, T.Mode.ULTRA];
    let mode = byTier[lowest];
    reasons.push(`lowest tier ${lowest}: ${Object.keys(T.Mode).find((n) => T.Mode[n] === mode)}`);
    const capped = p.onBattery && mode > T.Mode.BALANCED;
    if (capped) {
      mode = T.Mode.BALANCED;
      reasons.push("on_battery: capped at BALANCED");
    }
    return T.Recommendation.create({ mode, cpuTier, memoryTier, gpuTier, cappedByBattery: capped, reasons });
  }

  return [
    { name: "get_mode", subject: "svc.util.perfmode.v1.get_mode", request: T.GetModeRequest, response: T.ClientMode, run: getMode },
    { name: "set_mode", subject: "svc.util.perfmode.v1.set_mode", request: T.SetModeRequest, response: T.ClientMode, run: setMode },
    { name: "recommend", subject: "svc.util.perfmode.v1.recommend", request: T.RecommendRequest, response: T.Recommendation, run: recommend },
  ];
}

// ---- wiring -------------------------------------------------------------------------------------

async function ensureStream(nc) {
  const jsm = await nc.jetstreamManager();
  try {
    await jsm.streams.info(EVENT_STREAM);
  } catch (e) {
    if (!/stream not found/i.test(e.message)) {
      throw e;
    }
    // The same configuration as the Java SDK's EventStreams, so either may create it first.
    await jsm.streams.add({
      name: EVENT_STREAM, subjects: ["evt.util.>"], storage: "file", duplicate_window: nanos(120000),
    }).catch((err) => {
      if (!/already in use/i.test(err.message)) {
        throw err;
      }
    });
  }
}

function serve(service, endpoint, msg) {
  let encoding = "protobuf";
  const respondError = (err) => {
    const known = err instanceof RpcError ? err : new RpcError("INTERNAL", `internal error: ${err.message}`);
    const h = replyHeaders(msg, encoding);
    h.set("Nats-Service-Error", headerText(known.message));
    h.set("Nats-Service-Error-Code", String(CODES[known.status][1]));
    h.set("Nh-Status", known.status);
    // nats.js counts an error only when a handler throws synchronously (and then replies with an
    // empty body); this handler is asynchronous and replies with a Status body, so count it here.
    endpoint.stats.countError(known);
    msg.respond(statusBody(known, encoding), { headers: h });
  };
  (async () => {
    encoding = encodingOf(msg);
    const deadline = msg.headers ? msg.headers.get("Nh-Deadline") : "";
    if (deadline) {
      if (!/^\d+$/.test(deadline)) {
        throw new RpcError("INVALID_ARGUMENT", `Nh-Deadline must be Unix epoch milliseconds, got '${deadline}'`, "Nh-Deadline");
      }
      if (Date.now() >= Number(deadline)) {
        throw new RpcError("DEADLINE_EXCEEDED", `deadline ${deadline} passed before ${endpoint.name} started`);
      }
    }
    const request = decode(endpoint.request, msg, encoding);
    const response = await endpoint.run(request, msg);
    msg.respond(encode(endpoint.response, response, encoding), { headers: replyHeaders(msg, encoding) });
  })().catch(respondError);
}

async function main() {
  const natsUrl = process.env.NATS_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!natsUrl || !redisUrl) {
    throw new Error("NATS_URL and REDIS_URL must be set");
  }
  const wanted = (process.env.NH_SERVICES || SERVICE).split(",").map((s) => s.trim()).filter(Boolean);
  const other = wanted.filter((s) => s !== SERVICE);
  if (other.length > 0) {
    throw new Error(`this program serves only ${SERVICE}, not ${other.join(", ")}`);
  }
  const redis = createClient({ url: redisUrl });
  redis.on("error", (e) => console.error("redis:", e.message));
  await redis.connect();
  const nc = await connect({ servers: natsUrl.split(","), name: `${SERVICE}-node` });
  await ensureStream(nc);
  const js = nc.jetstream();
  const service = await nc.services.add({
    name: SERVICE, version: VERSION, queue: "q",
    description: "performance_mode in Node.js (nats.js Service API, state in Redis)",
  });
  for (const endpoint of makeHandlers(redis, js, process.env.NH_KEY_PREFIX || "nh:")) {
    service.addEndpoint(endpoint.name, {
      subject: endpoint.subject,
      handler: (err, msg) => {
        if (!err) {
          serve(service, endpoint, msg);
        }
      },
    });
    // The record nats.js keeps for the endpoint, whose stats serve() adds errors to.
    endpoint.stats = service.handlers.find((h) => h.subject === endpoint.subject).stats;
    // The micro v1 stats schema requires last_error; nats.js leaves it out until the first error.
    endpoint.stats.last_error = "";
  }
  console.log(`${SERVICE} (node) serving on ${natsUrl} as ${service.info().id}`);
  const stop = async () => {
    await service.stop().catch(() => {});
    await nc.drain().catch(() => {});
    await redis.quit().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((e) => {
  console.error(`${SERVICE} (node) failed to start: ${e.message}`);
  process.exit(1);
});
