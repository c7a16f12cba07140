package io.natsharness.sdk.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.context.Scope;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

  private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  @DisplayName("no deadline outside a scope")
  void emptyOutside() {
    assertThat(Deadlines.current()).isEmpty();
  }

  @Test
  @DisplayName("a scope makes its deadline current and restores the previous one on close")
  void scoped() {
    try (Scope ignored = Deadlines.withDeadline(T)) {
      assertThat(Deadlines.current()).contains(T);
    }
    assertThat(Deadlines.current()).isEmpty();
  }

  @Test
  @DisplayName("a nested scope cannot extend the deadline")
  void onlyShrinks() {
    try (Scope outer = Deadlines.withDeadline(T)) {
      try (Scope later = Deadlines.withDeadline(T.plusSeconds(5))) {
        assertThat(Deadlines.current()).contains(T);
      }
      try (Scope earlier = Deadlines.withDeadline(T.minusSeconds(5))) {
        assertThat(Deadlines.current()).contains(T.minusSeconds(5));
      }
    }
  }

  @Test
  @DisplayName("earliest picks the inherited deadline when it is earlier")
  void earliest() {
    try (Scope ignored = Deadlines.withDeadline(T)) {
      assertThat(Deadlines.earliest(T.plusSeconds(1))).isEqualTo(T);
      assertThat(Deadlines.earliest(T.minusSeconds(1))).isEqualTo(T.minusSeconds(1));
    }
  }
}
