package io.natsharness.services.game.quests;

import com.google.protobuf.Timestamp;
import io.natsharness.proto.game.quests.v1.ObjectiveProgress;
import io.natsharness.proto.game.quests.v1.PlayerQuest;
import io.natsharness.proto.game.quests.v1.QuestState;

/** The pure rule of report_progress: add, cap at the target, complete when every target is met. */
final class QuestProgress {

  private QuestProgress() {}

  /** The ACTIVE quest after adding {@code amount} to {@code objectiveId} (the objective exists). */
  static PlayerQuest apply(PlayerQuest active, String objectiveId, int amount, Timestamp now) {
    PlayerQuest.Builder next = active.toBuilder();
    boolean allDone = true;
    for (int i = 0; i < next.getProgressCount(); i++) {
      ObjectiveProgress p = next.getProgress(i);
      if (p.getObjectiveId().equals(objectiveId)) {
        long sum = (long) p.getCurrentCount() + amount;
        p = p.toBuilder().setCurrentCount((int) Math.min(sum, p.getTargetCount())).build();
        next.setProgress(i, p);
      }
      allDone &= p.getCurrentCount() >= p.getTargetCount();
    }
    if (allDone) {
      next.setState(QuestState.COMPLETED).setEndedAt(now);
    }
    return next.setMeta(active.getMeta().toBuilder()
        .setUpdatedAt(now)
        .setVersion(active.getMeta().getVersion() + 1)).build();
  }
}
