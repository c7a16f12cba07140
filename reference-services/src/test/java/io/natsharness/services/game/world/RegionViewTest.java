package io.natsharness.services.game.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.proto.game.world.v1.ChangeType;
import io.natsharness.proto.game.world.v1.Entity;
import io.natsharness.proto.game.world.v1.EntityChange;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RegionView")
class RegionViewTest {

  private static final EntityChange MOVE = EntityChange.newBuilder().setSequence(7).setChangeType(ChangeType.UPDATED)
      .setRegion("new").setPreviousRegion("old")
      .setEntity(Entity.newBuilder().setEntityId("e").setKind("npc").setRegion("new")).build();

  @Test
  @DisplayName("shows a move as LEFT in the old region, with the new state")
  void left() {
    EntityChange seen = new RegionView("old", Set.of()).see(MOVE).orElseThrow();

    assertThat(seen.getChangeType()).isEqualTo(ChangeType.LEFT);
    assertThat(seen.getRegion()).isEqualTo("old");
    assertThat(seen.getEntity().getRegion()).isEqualTo("new");
  }

  @Test
  @DisplayName("shows a move as ENTERED in the new region")
  void entered() {
    assertThat(new RegionView("new", Set.of()).see(MOVE).orElseThrow().getChangeType()).isEqualTo(ChangeType.ENTERED);
  }

  @Test
  @DisplayName("shows nothing to other regions or other kinds")
  void unrelated() {
    assertThat(new RegionView("elsewhere", Set.of()).see(MOVE)).isEmpty();
    assertThat(new RegionView("new", Set.of("item")).see(MOVE)).isEmpty();
  }
}
