package io.natsharness.services.support;

import static io.natsharness.services.testing.RpcAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.proto.infra.router.v1.RouteMode;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Validation")
class ValidationTest {

  @Nested
  @DisplayName("strings")
  class Strings {

    @Test
    @DisplayName("nonEmpty passes text through and refuses blank")
    void nonEmpty() {
      assertThat(Validation.nonEmpty("x", "name")).isEqualTo("x");
      assertInvalid(() -> Validation.nonEmpty(" ", "name"), "name", "name: must not be empty");
    }

    @Test
    @DisplayName("maxLength counts characters")
    void maxLength() {
      assertThat(Validation.maxLength("abc", 3, "reason")).isEqualTo("abc");
      assertInvalid(() -> Validation.maxLength("abcd", 3, "reason"), "reason", "reason: must be at most 3 characters");
    }

    @Test
    @DisplayName("matches names the pattern")
    void matches() {
      Pattern id = Pattern.compile("[a-z]+");
      assertThat(Validation.matches("abc", id, "id")).isEqualTo("abc");
      assertInvalid(() -> Validation.matches("aB", id, "id"), "id", "id: must match [a-z]+");
    }
  }

  @Nested
  @DisplayName("numbers, enums, lists")
  class Others {

    @Test
    @DisplayName("inRange is inclusive")
    void inRange() {
      assertThat(Validation.inRange(5L, 5L, 6L, "n")).isEqualTo(5L);
      assertInvalid(() -> Validation.inRange(0, 1, 10, "amount"), "amount", "amount: must be in [1, 10]");
      assertInvalid(() -> Validation.inRange(Double.NaN, 0, 2, "temperature"), "temperature",
          "temperature: must be in [0.0, 2.0]");
    }

    @Test
    @DisplayName("specified refuses the zero value and unknown numbers")
    void specified() {
      assertThat(Validation.specified(RouteMode.NATS, "mode")).isEqualTo(RouteMode.NATS);
      assertInvalid(() -> Validation.specified(RouteMode.ROUTE_MODE_UNSPECIFIED, "mode"), "mode", "mode: must be specified");
      assertInvalid(() -> Validation.specified(RouteMode.UNRECOGNIZED, "mode"), "mode", "mode: must be specified");
    }

    @Test
    @DisplayName("pageSize applies the default and the maximum")
    void pageSize() {
      assertThat(Validation.pageSize(0, 50, 100, "page.page_size")).isEqualTo(50);
      assertThat(Validation.pageSize(100, 50, 100, "page.page_size")).isEqualTo(100);
      assertInvalid(() -> Validation.pageSize(101, 50, 100, "page.page_size"), "page.page_size",
          "page.page_size: must be in [0, 100]");
      assertInvalid(() -> Validation.pageSize(-1, 50, 100, "page.page_size"), "page.page_size",
          "page.page_size: must be in [0, 100]");
    }

    @Test
    @DisplayName("maxSize counts entries")
    void maxSize() {
      assertInvalid(() -> Validation.maxSize(List.of(1, 2, 3), 2, "tags"), "tags", "tags: must have at most 2 entries");
    }
  }

  @Test
  @DisplayName("Ids.derived hashes the parts joined by newlines")
  void derivedIds() {
    assertThat(Ids.derived("wal-", 16, "owner-1")).isEqualTo("wal-" + Ids.sha256Hex("owner-1").substring(0, 16));
    assertThat(Ids.derived("txn-", 20, "a", "b")).isEqualTo("txn-" + Ids.sha256Hex("a\nb").substring(0, 20));
    assertThat(Ids.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  @DisplayName("ServiceContext.key joins prefix, service and parts with ':'")
  void keys() {
    assertThat(ServiceContext.normalizePrefix("t1")).isEqualTo("t1:");
    assertThat(ServiceContext.normalizePrefix("t1:")).isEqualTo("t1:");
    assertThat(ServiceContext.normalizePrefix("")).isEmpty();
  }
}
