package io.natsharness.services.game.world;

import io.natsharness.proto.game.world.v1.ChangeType;
import io.natsharness.proto.game.world.v1.EntityChange;
import java.util.Optional;
import java.util.Set;

/**
 * How one region (and kind filter) sees a logged change: CREATED, UPDATED and DELETED in the
 * region as they are; a move shows as LEFT in the old region (with the entity's new state) and
 * ENTERED in the new one. The kind filter applies to the entity after the change (its last state
 * for DELETED).
 */
final class RegionView {

  private final String region;
  private final Set<String> kinds;

  RegionView(String region, Set<String> kinds) {
    this.region = region;
    this.kinds = kinds;
  }

  Optional<EntityChange> see(EntityChange change) {
    if (!kinds.isEmpty() && !kinds.contains(change.getEntity().getKind())) {
      return Optional.empty();
    }
    boolean moved = !change.getPreviousRegion().isEmpty();
    if (moved && change.getPreviousRegion().equals(region)) {
      return Optional.of(change.toBuilder().setChangeType(ChangeType.LEFT).setRegion(region).build());
    }
    if (!change.getRegion().equals(region)) {
      return Optional.empty();
    }
    return Optional.of(moved ? change.toBuilder().setChangeType(ChangeType.ENTERED).build() : change);
  }

  String region() {
    return region;
  }

  @Override
  public String toString() {
    return "region " + region + (kinds.isEmpty() ? "" : " kinds " + kinds);
  }

  boolean admitsKind(String kind) {
    return kinds.isEmpty() || kinds.contains(kind);
  }
}
