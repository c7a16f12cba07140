package io.natsharness.conformance.contract.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Breaker;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.infra.router.v1.ListRoutesRequest;
import io.natsharness.proto.infra.router.v1.ListRoutesResponse;
import io.natsharness.proto.infra.router.v1.ResolveRequest;
import io.natsharness.proto.infra.router.v1.ResolveResponse;
import io.natsharness.proto.infra.router.v1.Route;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Contract checks of {@code router}: the routing table read from the catalog (every method's
 * binding resolves to it and is listed once), path parameters, filters and errors. Route modes
 * have their own class ({@link RouteModeChecks}).
 *
 * <pre>{@code
 * List<Check> checks = RouterChecks.checks();
 * }</pre>
 */
public final class RouterChecks {

  static final String SERVICE = "router";
  private static final Pattern VARIABLE = Pattern.compile("\\{([a-z_][a-z0-9_]*)}");

  private RouterChecks() {}

  public static List<Check> checks() {
    ContractChecks checks = ContractChecks.forService(SERVICE)
        .behaviour("resolve", "every_catalog_route", "every method's google.api.http binding, with its path"
            + " variables filled in, resolves to that method's subject, types, template and path parameters",
            RouterChecks::everyCatalogRoute)
        .behaviour("resolve", "decoding_case_and_query", "path parameters are percent-decoded, http_method is"
            + " case-insensitive and a query string is ignored", RouterChecks::decoding)
        .error("resolve", "no_route", Code.NOT_FOUND, "a path no template matches, or a known path under another"
            + " verb, is NOT_FOUND", ctx -> {
              router(ctx).fails("resolve", resolve("GET", "/v1/no/such/route"), Code.NOT_FOUND);
              MethodInfo infer = ctx.catalog().method("svc.ai.llm.v1.infer").orElseThrow();
              router(ctx).fails("resolve", resolve("DELETE", infer.route().path().template()), Code.NOT_FOUND);
            })
        .error("resolve", "invalid_request", Code.INVALID_ARGUMENT, "an empty or unsupported http_method, or a"
            + " path that is empty, relative or longer than 2048 characters, is INVALID_ARGUMENT", ctx -> {
              router(ctx).failsOnEach("resolve", resolve("POST", "/v1/ai/llm/infer"),
                  List.<Breaker<ResolveRequest.Builder>>of(
                      Breaker.of("http_method", b -> b.setHttpMethod("")),
                      Breaker.of("http_method", b -> b.setHttpMethod("FETCH")),
                      Breaker.of("path", b -> b.setPath("")),
                      Breaker.of("path", b -> b.setPath("v1/ai/llm/infer")),
                      Breaker.of("path", b -> b.setPath("/v1/" + "a".repeat(2045)))));
            })
        .behaviour("list_routes", "one_route_per_method", "list_routes lists one route per catalog method, with"
            + " the binding's verb, template and body and the method's facts, sorted by template then verb",
            RouterChecks::oneRoutePerMethod)
        .behaviour("list_routes", "filters", "the service and http_method filters keep only matching routes, and"
            + " an unknown service gives an empty list", RouterChecks::filters)
        .error("list_routes", "unsupported_http_method", Code.INVALID_ARGUMENT, "an http_method filter that is"
            + " not a supported verb is INVALID_ARGUMENT", ctx -> router(ctx).failsOn("list_routes",
                ListRoutesRequest.newBuilder().setHttpMethod("TRACE").build(), "http_method"));
    RouteModeChecks.add(checks);
    return checks.build();
  }

  static Rpc router(CheckContext ctx) {
    return Rpc.of(ctx, SERVICE);
  }

  static ResolveRequest resolve(String verb, String path) {
    return ResolveRequest.newBuilder().setHttpMethod(verb).setPath(path).build();
  }

  /** The template with each variable replaced by {@code v-<variable>}; the bound values in {@code params}. */
  static String fill(String template, Map<String, String> params) {
    Matcher m = VARIABLE.matcher(template);
    StringBuilder path = new StringBuilder();
    while (m.find()) {
      String value = "v-" + m.group(1).replace('_', '-');
      params.put(m.group(1), value);
      m.appendReplacement(path, Matcher.quoteReplacement(value));
    }
    m.appendTail(path);
    return path.toString();
  }

  private static void everyCatalogRoute(CheckContext ctx) {
    for (MethodInfo method : ctx.catalog().methods()) {
      Map<String, String> params = new LinkedHashMap<>();
      String path = fill(method.route().path().template(), params);
      ResolveResponse resolved = router(ctx).ok("resolve", resolve(method.route().verb(), path));
      String what = method.route().verb() + " " + path;
      assertThat(resolved.getSubject()).as("subject of %s", what).isEqualTo(method.subject());
      assertThat(resolved.getRequestType()).as("request_type of %s", what)
          .isEqualTo(method.requestType().getFullName());
      assertThat(resolved.getResponseType()).as("response_type of %s", what)
          .isEqualTo(method.responseType().getFullName());
      assertThat(resolved.getPathParamsMap()).as("path_params of %s", what).isEqualTo(params);
      assertThat(resolved.getPathTemplate()).as("path_template of %s", what)
          .isEqualTo(method.route().path().template());
      assertThat(resolved.getHttpMethod()).as("http_method of %s", what).isEqualTo(method.route().verb());
      assertThat(resolved.getService()).as("service of %s", what).isEqualTo(method.service());
      assertThat(resolved.getMethod()).as("method of %s", what).isEqualTo(method.descriptor().getFullName());
      assertThat(resolved.getBody()).as("body of %s", what).isEqualTo(method.route().body());
      assertThat(resolved.getServerStreaming()).as("server_streaming of %s", what).isEqualTo(method.serverStreaming());
      assertThat(resolved.getMode().getSubject()).as("subject of the mode of %s", what).isEqualTo(method.subject());
    }
  }

  private static void decoding(CheckContext ctx) {
    ResolveResponse resolved = router(ctx).ok("resolve",
        resolve("get", "/v1/ai/llm/generations/gen%20caf%C3%A9-1?verbose=true&x=%2F"));
    assertThat(resolved.getSubject()).as("subject").isEqualTo("svc.ai.llm.v1.get_generation");
    assertThat(resolved.getHttpMethod()).as("http_method, upper case").isEqualTo("GET");
    assertThat(resolved.getPathParamsMap()).as("path_params, percent-decoded, without the query")
        .containsExactlyEntriesOf(Map.of("generation_id", "gen café-1"));
  }

  private static void oneRoutePerMethod(CheckContext ctx) {
    ListRoutesResponse listed = router(ctx).ok("list_routes", ListRoutesRequest.getDefaultInstance());
    List<MethodInfo> methods = ctx.catalog().methods();
    assertThat(listed.getRoutesList()).extracting(Route::getSubject).as("subjects of the routes")
        .containsExactlyInAnyOrderElementsOf(methods.stream().map(MethodInfo::subject).toList());
    assertThat(listed.getRoutesList()).as("routes sorted by path_template, then http_method")
        .isSortedAccordingTo(Comparator.comparing(Route::getPathTemplate).thenComparing(Route::getHttpMethod));
    for (Route route : listed.getRoutesList()) {
      MethodInfo method = ctx.catalog().method(route.getSubject()).orElseThrow();
      assertThat(route.getHttpMethod()).as("http_method of %s", method).isEqualTo(method.route().verb());
      assertThat(route.getPathTemplate()).as("path_template of %s", method).isEqualTo(method.route().path().template());
      assertThat(route.getBody()).as("body of %s", method).isEqualTo(method.route().body());
      assertThat(route.getService()).as("service of %s", method).isEqualTo(method.service());
      assertThat(route.getMethod()).as("method of %s", method).isEqualTo(method.descriptor().getFullName());
      assertThat(route.getRequestType()).as("request_type of %s", method).isEqualTo(method.requestType().getFullName());
      assertThat(route.getResponseType()).as("response_type of %s", method)
          .isEqualTo(method.responseType().getFullName());
      assertThat(route.getServerStreaming()).as("server_streaming of %s", method).isEqualTo(method.serverStreaming());
      assertThat(route.getNoSideEffects()).as("no_side_effects of %s", method).isEqualTo(method.hasNoSideEffects());
      assertThat(route.getRequiresIdempotencyKey()).as("requires_idempotency_key of %s", method)
          .isEqualTo(method.requiresIdempotencyKey());
      assertThat(route.getMode().getSubject()).as("subject of the mode of %s", method).isEqualTo(method.subject());
    }
  }

  private static void filters(CheckContext ctx) {
    String service = "ai_router";
    ListRoutesResponse ofService = router(ctx).ok("list_routes", ListRoutesRequest.newBuilder().setService(service)
        .build());
    assertThat(ofService.getRoutesList()).extracting(Route::getSubject).as("routes of %s", service)
        .containsExactlyInAnyOrderElementsOf(ctx.catalog().service(service).orElseThrow().methods().stream()
            .map(MethodInfo::subject).toList());
    ListRoutesResponse gets = router(ctx).ok("list_routes", ListRoutesRequest.newBuilder().setService(service)
        .setHttpMethod("GET").build());
    assertThat(gets.getRoutesList()).extracting(Route::getSubject).as("GET routes of %s", service)
        .containsExactlyInAnyOrderElementsOf(ctx.catalog().service(service).orElseThrow().methods().stream()
            .filter(m -> m.route().verb().equals("GET")).map(MethodInfo::subject).toList());
    assertThat(router(ctx).<ListRoutesResponse>ok("list_routes", ListRoutesRequest.newBuilder()
        .setService("no_such_service").build()).getRoutesList()).as("routes of an unknown service").isEmpty();
  }
}
