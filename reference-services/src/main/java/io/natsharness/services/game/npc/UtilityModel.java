package io.natsharness.services.game.npc;

import io.natsharness.proto.game.npc.v1.ActionScore;
import io.natsharness.proto.game.npc.v1.DecideResponse;
import io.natsharness.proto.game.npc.v1.NpcAction;
import io.natsharness.proto.game.npc.v1.NpcProfile;
import io.natsharness.proto.game.npc.v1.Perception;
import io.natsharness.proto.game.npc.v1.Traits;

/**
 * The utility function of {@code npc_behavior.decide}, exactly as the proto comment writes it
 * (same operand order, IEEE double), so any implementation gets bit-identical scores.
 *
 * <pre>{@code
 * DecideResponse d = UtilityModel.decide(profile, perception);
 * d.getAction(); // e.g. FLEE
 * }</pre>
 */
final class UtilityModel {

  private static final NpcAction[] ORDER = {
      NpcAction.IDLE, NpcAction.PATROL, NpcAction.TALK, NpcAction.FLEE, NpcAction.ATTACK, NpcAction.TRADE
  };

  private UtilityModel() {}

  static DecideResponse decide(NpcProfile profile, Perception p) {
    double[] scores = scores(profile.getTraits(), p);
    DecideResponse.Builder out = DecideResponse.newBuilder()
        .setNpcId(profile.getNpcId())
        .setProfileVersion(profile.getMeta().getVersion());
    int best = 0;
    for (int i = 0; i < ORDER.length; i++) {
      out.addScores(ActionScore.newBuilder().setAction(ORDER[i]).setScore(scores[i]));
      // Strictly greater: a tie keeps the action listed first.
      if (scores[i] > scores[best]) {
        best = i;
      }
    }
    return out.setAction(ORDER[best]).build();
  }

  /** The six scores in enum order (IDLE, PATROL, TALK, FLEE, ATTACK, TRADE). */
  static double[] scores(Traits traits, Perception p) {
    double t = p.getThreat();
    double h = p.getHealth();
    double d = p.getPlayerDisposition();
    double players = p.getPlayersNearby() > 0 ? 1 : 0;
    double hostiles = p.getHostilesNearby() > 0 ? 1 : 0;
    double friendly = Math.max(0, d);
    double hostile = Math.max(0, -d);
    return new double[] {
        0.1,
        0.4 * traits.getDiligence() * (1 - t),
        traits.getSociability() * friendly * players * (1 - t),
        t * (1 - traits.getCourage()) * (1 - 0.5 * h),
        traits.getAggression() * h * Math.max(t * hostiles, hostile * players),
        traits.getGreed() * friendly * players * (1 - t)
    };
  }
}
