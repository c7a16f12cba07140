package io.natsharness.services.game.quests;

import io.natsharness.proto.game.quests.v1.DefineQuestRequest;
import io.natsharness.proto.game.quests.v1.Objective;
import io.natsharness.services.game.kit.Checks;
import java.util.HashSet;
import java.util.Set;

/** The field rules of quest_system's requests, as its proto comments state them. */
final class QuestValidation {

  static final int MAX_TITLE = 200;
  static final int MAX_DESCRIPTION = 4000;
  static final int MAX_OBJECTIVES = 32;
  static final int MAX_COUNT = 1_000_000;

  private QuestValidation() {}

  static void define(DefineQuestRequest r) {
    Checks.format("quest_id", r.getQuestId(), Checks.SLUG_64);
    Checks.required("title", r.getTitle());
    Checks.maxLength("title", r.getTitle(), MAX_TITLE);
    Checks.maxLength("description", r.getDescription(), MAX_DESCRIPTION);
    if (r.getObjectivesCount() == 0 || r.getObjectivesCount() > MAX_OBJECTIVES) {
      throw Checks.invalid("objectives", "must have 1 to " + MAX_OBJECTIVES + " objectives, got "
          + r.getObjectivesCount());
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < r.getObjectivesCount(); i++) {
      Objective o = r.getObjectives(i);
      String field = "objectives[" + i + "]";
      Checks.format(field + ".objective_id", o.getObjectiveId(), Checks.LOWER_64);
      if (!ids.add(o.getObjectiveId())) {
        throw Checks.invalid(field + ".objective_id", "duplicate objective_id '" + o.getObjectiveId() + "'");
      }
      Checks.range(field + ".target_count", o.getTargetCount(), 1, MAX_COUNT);
    }
    Checks.atLeast("experience_reward", r.getExperienceReward(), 0);
    if (r.hasCurrencyReward()) {
      Checks.money("currency_reward", r.getCurrencyReward(), true);
    }
  }

  static void playerAndQuest(String playerId, String questId) {
    Checks.format("player_id", playerId, Checks.ID_128);
    Checks.format("quest_id", questId, Checks.SLUG_64);
  }
}
