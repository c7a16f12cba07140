package io.natsharness.services.game.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.proto.common.v1.PageRequest;
import io.natsharness.sdk.status.RpcException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("PageCursor")
class PageCursorTest {

  private static PageRequest page(String token) {
    return PageRequest.newBuilder().setPageToken(token).build();
  }

  @Test
  @DisplayName("gives back the position of a token it made, colons included")
  void roundTrip() {
    PageCursor cursor = new PageCursor("m", "f1");

    assertThat(cursor.position(page(cursor.token("a:b c")))).hasValue("a:b c");
    assertThat(cursor.position(page(""))).isEmpty();
  }

  @Test
  @DisplayName("refuses a token of other filters and an edited one")
  void refuses() {
    String token = new PageCursor("m", "f1").token("x");
    String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    String edited = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(raw.replace(":x", ":y").getBytes(StandardCharsets.UTF_8));

    for (String bad : new String[] {edited, "***", token}) {
      PageCursor other = bad.equals(token) ? new PageCursor("m", "f2") : new PageCursor("m", "f1");
      RpcException e = Rpc.failure(() -> other.position(page(bad)));
      assertThat(e.statusMessage()).isEqualTo("page.page_token: was not issued by this method for these filters");
    }
  }
}
