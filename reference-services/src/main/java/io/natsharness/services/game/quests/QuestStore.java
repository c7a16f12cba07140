package io.natsharness.services.game.quests;

import io.lettuce.core.api.sync.RedisCommands;
import io.natsharness.proto.game.quests.v1.PlayerQuest;
import io.natsharness.proto.game.quests.v1.Quest;
import io.natsharness.services.game.kit.Cas;
import io.natsharness.services.game.kit.ProtoValues;
import io.natsharness.services.support.ServiceContext;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Quests in Redis: one hash of definitions ({@code quests}: quest_id -> Quest) and one hash per
 * player ({@code player:<id>}: quest_id -> PlayerQuest). A player's quest that has no field is
 * AVAILABLE; every change of a field is compare-and-set on its previous value.
 */
final class QuestStore {

  private final ServiceContext ctx;
  private final RedisCommands<String, String> redis;

  QuestStore(ServiceContext ctx) {
    this.ctx = ctx;
    this.redis = ctx.redis().sync();
  }

  /** Stores a new definition; false when the quest_id is taken. */
  boolean define(Quest quest) {
    return redis.hsetnx(questsKey(), quest.getQuestId(), ProtoValues.encode(quest));
  }

  Optional<Quest> quest(String questId) {
    return Optional.ofNullable(redis.hget(questsKey(), questId)).map(v -> ProtoValues.decode(Quest.parser(), v));
  }

  /** Every definition, ordered by quest_id. */
  Map<String, Quest> quests() {
    Map<String, Quest> all = new TreeMap<>();
    redis.hgetall(questsKey()).forEach((id, v) -> all.put(id, ProtoValues.decode(Quest.parser(), v)));
    return all;
  }

  /** The player's stored quest records by quest_id. */
  Map<String, PlayerQuest> playerQuests(String playerId) {
    Map<String, PlayerQuest> all = new TreeMap<>();
    redis.hgetall(playerKey(playerId)).forEach((id, v) -> all.put(id, ProtoValues.decode(PlayerQuest.parser(), v)));
    return all;
  }

  /** The raw stored record of one player's quest (for compare-and-set); empty = AVAILABLE. */
  Optional<String> raw(String playerId, String questId) {
    return Optional.ofNullable(redis.hget(playerKey(playerId), questId));
  }

  /** Writes the player's quest if its record is still {@code expectedRaw} (empty = no record). */
  boolean replace(Optional<String> expectedRaw, PlayerQuest updated) {
    return Cas.replaceField(redis, playerKey(updated.getPlayerId()), updated.getQuestId(), expectedRaw,
        ProtoValues.encode(updated));
  }

  static PlayerQuest decode(String raw) {
    return ProtoValues.decode(PlayerQuest.parser(), raw);
  }

  private String questsKey() {
    return ctx.key(QuestSystemService.NAME, "quests");
  }

  private String playerKey(String playerId) {
    return ctx.key(QuestSystemService.NAME, "player", playerId);
  }
}
