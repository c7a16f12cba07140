package io.natsharness.conformance.mutants;

import static io.natsharness.conformance.mutants.Mutant.caughtBy;

import com.google.rpc.Code;
import io.natsharness.conformance.mutants.Mutant.Catch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutants the suite must catch, and the controls it must pass: the table that
 * conformance/README.md documents (fault → catching check). Handler-level mutants run on the SDK's
 * host ({@link SdkHost}), wire-level ones on a host written straight on jnats ({@link WireHost}).
 *
 * <pre>{@code
 * for (Mutant m : Mutants.all()) { ... }
 * }</pre>
 */
final class Mutants {

  /** The downstream services whose hops the checks of a mutated service follow. */
  private static final Map<String, List<String>> HELPERS = Map.of(
      "ai_router", List.of("model_management", "ai_integration"),
      "environmental_narrative", List.of("time_manager", "weather_manager"));

  private Mutants() {}

  /** Every mutant, each one fault. */
  static List<Mutant> all() {
    return List.of(
        // Handler-level: the SDK host speaks the wire right; the behaviour is wrong.
        handler("error-code-replaced", "a wrong error code: NOT_FOUND is answered as INVALID_ARGUMENT",
            "npc_behavior", HandlerFaults.errorCodeReplaced(Code.NOT_FOUND, Code.INVALID_ARGUMENT),
            caughtBy("contract.npc_behavior.get_profile.unknown", "INVALID_ARGUMENT"),
            caughtBy("contract.npc_behavior.decide.unknown", "INVALID_ARGUMENT")),
        handler("error-message-ascii-only", "error messages lose every non-ASCII character",
            "npc_behavior", HandlerFaults.errorMessagesFlattenedToAscii(),
            caughtBy("wire.npc_behavior.error_message_special_characters", "ünïcødé")),
        handler("idempotency-key-ignored", "an idempotent repeat charges twice (every request gets a fresh key)",
            "payment", HandlerFaults.idempotencyKeyIgnored(),
            caughtBy("contract.payment.charge.idempotent_repeat"),
            caughtBy("contract.payment.charge.concurrent_repeats_charge_once"),
            caughtBy("contract.payment.refund.idempotent_repeat")),
        handler("compare-and-set-ignored", "a compare-and-set that always succeeds (expected_version dropped)",
            "settings", HandlerFaults.expectedVersionIgnored(),
            caughtBy("contract.settings.put.compare_and_set"),
            caughtBy("contract.settings.delete.compare_and_set")),
        handler("trace-context-dropped", "trace context dropped: the handler runs in a fresh root context",
            "environmental_narrative", HandlerFaults.contextDropped(),
            caughtBy("contract.environmental_narrative.describe.trace_reaches_both_hops")),
        handler("deadline-not-propagated", "the caller's deadline is not passed on: hops get the service's own 60 s",
            "ai_router", HandlerFaults.deadlineReplaced(Duration.ofSeconds(60)),
            caughtBy("contract.ai_router.route.trace_context_downstream", "Nh-Deadline"),
            caughtBy("contract.ai_router.infer.trace_context_downstream", "Nh-Deadline")),
        handler("stream-chunk-dropped", "a stream message is lost (the second chunk is never sent)",
            "ai_integration", HandlerFaults.streamChunkDropped(2),
            caughtBy("contract.ai_integration.infer_stream.same_as_infer")),
        handler("seed-randomized", "a nondeterministic answer: the seed is replaced by a random one",
            "ai_integration", HandlerFaults.seedRandomized(),
            caughtBy("contract.ai_integration.infer.deterministic")),
        // Wire-level: a host on jnats that gets one rule of WIRE.md wrong.
        wire("status-header-missing", "error replies without the Nh-Status header",
            "router", WireFault.STATUS_HEADER_MISSING,
            caughtBy("wire.router.resolve.malformed_protobuf", "Nh-Status"),
            caughtBy("contract.router.resolve.no_route", "Nh-Status")),
        wire("deadline-ignored", "Nh-Deadline ignored: an expired request is served",
            "ai_integration", WireFault.DEADLINE_IGNORED,
            caughtBy("wire.ai_integration.infer.expired_deadline"),
            caughtBy("contract.ai_integration.infer.expired_deadline_no_side_effect")),
        wire("errors-not-counted", "STATS does not count errors (answered without telling jnats)",
            "npc_behavior", WireFault.ERRORS_NOT_COUNTED,
            caughtBy("wire.npc_behavior.stats.counts_errors", "num_errors")),
        wire("stats-zeros-omitted", "STATS leaves out the counters that are still zero",
            "npc_behavior", WireFault.STATS_ZEROS_OMITTED,
            caughtBy("wire.npc_behavior.discovery.stats")),
        wire("json-pascal-case", "a wrong JSON field name (PascalCase keys)",
            "router", WireFault.JSON_PASCAL_CASE,
            caughtBy("wire.router.list_routes.json_content_type", "Routes"),
            caughtBy("wire.router.resolve.json_content_type")),
        wire("no-queue-group", "endpoints registered without queue group q",
            "npc_behavior", WireFault.NO_QUEUE_GROUP,
            caughtBy("wire.npc_behavior.discovery.info", "queue group")),
        wire("stream-sequence-gap", "a stream gap: sequence number 3 is skipped",
            "ai_integration", WireFault.STREAM_SEQUENCE_GAP,
            caughtBy("contract.ai_integration.infer_stream.same_as_infer", "Nh-Stream-Seq")),
        wire("stream-end-missing", "a stream without its end marker",
            "ai_integration", WireFault.STREAM_END_MISSING,
            caughtBy("contract.ai_integration.infer_stream.same_as_infer", "end message")),
        wire("request-id-not-echoed", "Nh-Request-Id is not echoed",
            "npc_behavior", WireFault.REQUEST_ID_NOT_ECHOED,
            caughtBy("wire.npc_behavior.decide.request_id_echo", "Nh-Request-Id")),
        wire("unknown-content-type-accepted", "an unknown Content-Type is accepted (read as protobuf)",
            "router", WireFault.UNKNOWN_CONTENT_TYPE_READ_AS_PROTOBUF,
            caughtBy("wire.router.list_routes.unknown_content_type")),
        wire("malformed-body-answered-as-success", "a malformed protobuf body is answered as success",
            "router", WireFault.MALFORMED_BODY_ANSWERED_AS_SUCCESS,
            caughtBy("wire.router.resolve.malformed_protobuf"),
            caughtBy("wire.router.stats.counts_errors")),
        wire("error-body-plain-text", "the error body is plain text, not a google.rpc.Status",
            "router", WireFault.ERROR_BODY_PLAIN_TEXT,
            caughtBy("wire.router.resolve.malformed_protobuf", "google.rpc.Status")),
        wire("unknown-method-swallowed", "no responders replaced by a hang (a catch-all that never answers)",
            "router", WireFault.UNKNOWN_METHOD_SWALLOWED,
            caughtBy("wire.router.unknown_method", "no reply")));
  }

  /**
   * The controls: for every host and service a mutant breaks, the same host with no fault, which
   * must pass every check of the service. So whatever fails on a mutant fails because of its fault.
   */
  static List<Mutant> controls() {
    Map<String, Mutant> controls = new LinkedHashMap<>();
    for (Mutant m : all()) {
      boolean sdk = m.provider() instanceof SdkHost;
      String name = "control-" + (sdk ? "sdk-host-" : "wire-host-") + m.service();
      controls.putIfAbsent(name, new Mutant(name, "none", m.service(), m.helpers(),
          sdk ? new SdkHost(name, m.service(), HandlerFault.NONE) : new WireHost(name, WireFault.NONE), List.of()));
    }
    return new ArrayList<>(controls.values());
  }

  private static Mutant handler(String name, String fault, String service, HandlerFault handlerFault,
      Catch... catches) {
    return new Mutant(name, fault, service, HELPERS.getOrDefault(service, List.of()),
        new SdkHost("mutant-" + name, service, handlerFault), List.of(catches));
  }

  private static Mutant wire(String name, String fault, String service, WireFault wireFault, Catch... catches) {
    return new Mutant(name, fault, service, HELPERS.getOrDefault(service, List.of()),
        new WireHost("mutant-" + name, wireFault), List.of(catches));
  }
}
