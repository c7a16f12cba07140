package io.natsharness.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("RouteTable")
class RouteTableTest {

  private final ServiceCatalog catalog = ServiceCatalog.load();
  private final RouteTable table = RouteTable.fromCatalog(catalog);

  @Nested
  @DisplayName("built from the catalog")
  class FromCatalog {

    @Test
    @DisplayName("has one route per method of the catalog")
    void everyMethod() {
      assertThat(table.methods()).hasSameSizeAs(catalog.methods())
          .containsExactlyInAnyOrderElementsOf(catalog.methods());
    }

    @Test
    @DisplayName("finds every method by its own verb and template, with sample path values")
    void everyMethodIsReachable() {
      for (MethodInfo m : catalog.methods()) {
        String path = m.route().path().template().replaceAll("\\{[^}]+}", "x-1");
        RouteLookup found = table.lookup(m.route().verb(), path);
        assertThat(found).as(m.subject()).isInstanceOf(RouteLookup.Found.class);
        assertThat(((RouteLookup.Found) found).method().subject()).as(path).isEqualTo(m.subject());
      }
    }
  }

  @Nested
  @DisplayName("lookup")
  class Lookup {

    @Test
    @DisplayName("binds and percent-decodes path variables")
    void pathVariables() {
      RouteLookup r = table.lookup("GET", "/v1/ai/llm/generations/gen%2F1%20a");
      assertThat(r).isEqualTo(new RouteLookup.Found(
          catalog.method("svc.ai.llm.v1.get_generation").orElseThrow(), Map.of("generation_id", "gen/1 a")));
    }

    @Test
    @DisplayName("tells a verb suffix from a plain path")
    void verbSuffix() {
      assertThat(((RouteLookup.Found) table.lookup("POST", "/v1/ai/llm/infer:stream")).method().subject())
          .isEqualTo("svc.ai.llm.v1.infer_stream");
      assertThat(((RouteLookup.Found) table.lookup("POST", "/v1/ai/llm/infer")).method().subject())
          .isEqualTo("svc.ai.llm.v1.infer");
    }

    @Test
    @DisplayName("prefers the template with more literal characters")
    void literalWins() {
      // "/v1/infra/router/routes:resolve" could also be read as nothing else, but
      // "/v1/infra/router/routes" must not swallow it.
      assertThat(((RouteLookup.Found) table.lookup("GET", "/v1/infra/router/routes:resolve")).method().subject())
          .isEqualTo("svc.infra.router.v1.resolve");
    }

    @Test
    @DisplayName("answers WrongMethod with the allowed verbs when only the verb is wrong")
    void wrongMethod() {
      assertThat(table.lookup("DELETE", "/v1/ai/llm/infer"))
          .isEqualTo(new RouteLookup.WrongMethod(Set.of("POST")));
      assertThat(table.lookup("PATCH", "/v1/util/settings/values/volume"))
          .isEqualTo(new RouteLookup.WrongMethod(Set.of("GET", "PUT", "DELETE")));
    }

    @Test
    @DisplayName("answers NotFound for a path no template matches")
    void notFound() {
      assertThat(table.lookup("GET", "/v1/nothing/here")).isEqualTo(new RouteLookup.NotFound());
      assertThat(table.lookup("GET", "/v1/ai/llm/generations/")).isEqualTo(new RouteLookup.NotFound());
    }

    @Test
    @DisplayName("answers MalformedPath for bad percent-encoding")
    void malformed() {
      assertThat(table.lookup("GET", "/v1/ai/llm/generations/%zz"))
          .isEqualTo(new RouteLookup.MalformedPath("malformed percent-encoding in path /v1/ai/llm/generations/%zz"));
    }
  }
}
