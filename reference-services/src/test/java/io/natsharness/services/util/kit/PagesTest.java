package io.natsharness.services.util.kit;

import static io.natsharness.services.util.kit.Calls.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.proto.common.v1.PageRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("page tokens")
class PagesTest {

  static PageRequest page(String token) {
    return PageRequest.newBuilder().setPageToken(token).build();
  }

  @Test
  @DisplayName("carry the position for the same filters")
  void roundTrip() {
    String binding = Pages.binding("wal-1", "EUR", "CHARGE");
    assertThat(Pages.position(page(Pages.token(42, binding)), binding, "x")).isEqualTo(42);
    assertThat(Pages.position(page(""), binding, "x")).isZero();
  }

  @Test
  @DisplayName("are refused for other filters, and when garbled or negative")
  void refused() {
    String binding = Pages.binding("wal-1", "EUR");
    String other = Pages.token(3, Pages.binding("wal-2", "EUR"));
    String negative = Base64.getUrlEncoder().encodeToString(("p1:-1:" + binding).getBytes(StandardCharsets.UTF_8));
    for (String token : new String[] {other, "%%%", "cDE6eDp5", negative}) {
      assertInvalid(() -> Pages.position(page(token), binding, "the same wallet"), "page.page_token",
          "page.page_token: was not issued by this method for the same wallet");
    }
  }

  @Test
  @DisplayName("page sizes: 0 is the default, above the maximum is refused")
  void sizes() {
    assertThat(Pages.size(PageRequest.getDefaultInstance(), 50, 100)).isEqualTo(50);
    assertThat(Pages.size(PageRequest.newBuilder().setPageSize(7).build(), 50, 100)).isEqualTo(7);
    assertInvalid(() -> Pages.size(PageRequest.newBuilder().setPageSize(-1).build(), 50, 100), "page.page_size",
        "page.page_size: must be in [0, 100]");
  }
}
