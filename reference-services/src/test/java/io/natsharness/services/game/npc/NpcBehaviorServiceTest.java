package io.natsharness.services.game.npc;

import static io.natsharness.services.game.kit.Rpc.expect;
import static io.natsharness.services.game.kit.Rpc.expectInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.rpc.Code;
import io.nats.client.Connection;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.game.npc.v1.ActionScore;
import io.natsharness.proto.game.npc.v1.DecideRequest;
import io.natsharness.proto.game.npc.v1.DecideResponse;
import io.natsharness.proto.game.npc.v1.GetProfileRequest;
import io.natsharness.proto.game.npc.v1.NpcAction;
import io.natsharness.proto.game.npc.v1.NpcProfile;
import io.natsharness.proto.game.npc.v1.Perception;
import io.natsharness.proto.game.npc.v1.ProfileUpdated;
import io.natsharness.proto.game.npc.v1.SetProfileRequest;
import io.natsharness.proto.game.npc.v1.Traits;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.game.kit.Concurrently;
import io.natsharness.services.game.kit.EventLog;
import io.natsharness.services.game.kit.HostedServices;
import io.natsharness.services.game.kit.Rpc;
import io.natsharness.services.game.kit.DualStack;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("npc_behavior")
class NpcBehaviorServiceTest {

  private static HostedServices hosted;
  private Rpc npc;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) {
    hosted = HostedServices.start(info, "npc_behavior");
  }

  @AfterAll
  static void stop() {
    hosted.close();
  }

  @BeforeEach
  void client(RpcClient client) {
    npc = new Rpc(client, "npc_behavior");
  }

  private NpcProfile set(String id, Traits traits) {
    return npc.call("set_profile", SetProfileRequest.newBuilder().setNpcId(id).setDisplayName("NPC " + id)
        .setTraits(traits).build());
  }

  private DecideResponse decide(String id, Perception p) {
    return npc.call("decide", DecideRequest.newBuilder().setNpcId(id).setPerception(p).build());
  }

  private static Traits traits(double aggression, double courage, double sociability, double greed, double diligence) {
    return Traits.newBuilder().setAggression(aggression).setCourage(courage).setSociability(sociability)
        .setGreed(greed).setDiligence(diligence).build();
  }

  @Nested
  @DisplayName("set_profile")
  class SetProfile {

    @Test
    @DisplayName("creates at version 1 and replaces at version 2, announcing each")
    void createsAndReplaces(Connection nats) throws Exception {
      NpcProfile v1 = set("guard-1", traits(0.5, 0.5, 0.5, 0.5, 0.5));
      NpcProfile v2 = set("guard-1", traits(0.9, 0.5, 0.5, 0.5, 0.5));

      assertThat(v1.getMeta().getVersion()).isEqualTo(1);
      assertThat(v2.getMeta().getVersion()).isEqualTo(2);
      assertThat(v2.getMeta().getCreatedAt()).isEqualTo(v1.getMeta().getCreatedAt());
      assertThat(EventLog.read(nats, "npc_behavior", "profile_updated", hosted.prefix(), ProfileUpdated.parser()))
          .filteredOn(e -> e.payload().getProfile().getNpcId().equals("guard-1"))
          .extracting(EventLog.Event::id)
          .containsExactly("profile_updated:guard-1:1", "profile_updated:guard-1:2");
    }

    @Test
    @DisplayName("with expected_version 0 creates only when there is no profile")
    void createOnly() {
      npc.call("set_profile", SetProfileRequest.newBuilder().setNpcId("cas-0").setExpectedVersion(0).build());

      expect(() -> npc.call("set_profile", SetProfileRequest.newBuilder().setNpcId("cas-0").setExpectedVersion(0).build()),
          Code.ABORTED, "the profile of npc cas-0 is at version 1, expected 0");
    }

    @Test
    @DisplayName("answers ABORTED for a version when there is no profile")
    void missing() {
      expect(() -> npc.call("set_profile", SetProfileRequest.newBuilder().setNpcId("cas-none").setExpectedVersion(5).build()),
          Code.ABORTED, "npc cas-none has no profile, expected version 5");
    }

    @Test
    @DisplayName("lets one of many concurrent writers with the same expected_version win")
    void concurrent() throws Exception {
      set("cas-race", traits(0, 0, 0, 0, 0));

      Concurrently.Outcomes<NpcProfile> outcomes = Concurrently.run(10, i -> npc.call("set_profile",
          SetProfileRequest.newBuilder().setNpcId("cas-race").setDisplayName("w" + i).setExpectedVersion(1).build()));

      assertThat(outcomes.successes()).singleElement().satisfies(p -> assertThat(p.getMeta().getVersion()).isEqualTo(2));
      assertThat(outcomes.failures()).hasSize(9).allSatisfy(e -> assertThat(e.statusMessage())
          .isEqualTo("the profile of npc cas-race is at version 2, expected 1"));
    }

    @Test
    @DisplayName("refuses a malformed npc_id")
    void malformedId() {
      expectInvalid(() -> set("guard 1", Traits.getDefaultInstance()), "npc_id",
          "must be 1-128 chars of [A-Za-z0-9_.:-], got 'guard 1'");
    }

    @Test
    @DisplayName("refuses a display_name over 100 chars")
    void longName() {
      expectInvalid(() -> npc.call("set_profile", SetProfileRequest.newBuilder().setNpcId("n").setDisplayName("x".repeat(101)).build()),
          "display_name", "must be at most 100 chars, got 101");
    }

    @Test
    @DisplayName("refuses a trait outside [0, 1]")
    void trait() {
      expectInvalid(() -> set("n", traits(0, 1.5, 0, 0, 0)), "traits.courage", "must be in [0, 1], got 1.5");
    }
  }

  @Nested
  @DisplayName("get_profile")
  class GetProfile {

    @Test
    @DisplayName("returns the stored profile, also after a restart")
    void survivesRestart(RpcClient client) {
      NpcProfile stored = set("keeper-1", traits(0.1, 0.2, 0.3, 0.4, 0.5));

      hosted.restart();

      assertThat((NpcProfile) new Rpc(client, "npc_behavior").call("get_profile",
          GetProfileRequest.newBuilder().setNpcId("keeper-1").build())).isEqualTo(stored);
    }

    @Test
    @DisplayName("answers NOT_FOUND for an NPC without a profile")
    void unknown() {
      expect(() -> npc.call("get_profile", GetProfileRequest.newBuilder().setNpcId("ghost").build()),
          Code.NOT_FOUND, "npc ghost has no profile");
    }

    @Test
    @DisplayName("refuses an empty npc_id")
    void empty() {
      expectInvalid(() -> npc.call("get_profile", GetProfileRequest.getDefaultInstance()), "npc_id", "is required");
    }
  }

  @Nested
  @DisplayName("decide")
  class Decide {

    @Test
    @DisplayName("scores every action by the documented formula, in enum order")
    void scores() {
      set("d-scores", traits(0.8, 0.3, 0.6, 0.2, 0.5));

      DecideResponse d = decide("d-scores", Perception.newBuilder().setHealth(1).setThreat(0.5)
          .setHostilesNearby(1).setPlayersNearby(1).setPlayerDisposition(-0.5).build());

      assertThat(d.getScoresList()).extracting(ActionScore::getAction).containsExactly(
          NpcAction.IDLE, NpcAction.PATROL, NpcAction.TALK, NpcAction.FLEE, NpcAction.ATTACK, NpcAction.TRADE);
      double[] expected = {0.1, 0.1, 0.0, 0.175, 0.4, 0.0};
      for (int i = 0; i < expected.length; i++) {
        assertThat(d.getScores(i).getScore()).isCloseTo(expected[i], within(1e-12));
      }
      assertThat(d.getAction()).isEqualTo(NpcAction.ATTACK);
      assertThat(d.getProfileVersion()).isEqualTo(1);
      assertThat(d.getNpcId()).isEqualTo("d-scores");
    }

    @Test
    @DisplayName("patrols when nothing calls and it is diligent")
    void patrol() {
      set("d-patrol", traits(0, 0, 0, 0, 0.5));

      assertThat(decide("d-patrol", Perception.newBuilder().setHealth(1).build()).getAction()).isEqualTo(NpcAction.PATROL);
    }

    @Test
    @DisplayName("flees a threat when not brave")
    void flee() {
      set("d-flee", traits(0.1, 0.1, 0.5, 0.5, 0.5));

      assertThat(decide("d-flee", Perception.newBuilder().setHealth(0.2).setThreat(0.9).build()).getAction())
          .isEqualTo(NpcAction.FLEE);
    }

    @Test
    @DisplayName("trades with a friendly player when greedier than sociable")
    void trade() {
      set("d-trade", traits(0, 0.5, 0.3, 0.8, 0.2));

      assertThat(decide("d-trade", Perception.newBuilder().setHealth(1).setPlayersNearby(1).setPlayerDisposition(1).build())
          .getAction()).isEqualTo(NpcAction.TRADE);
    }

    @Test
    @DisplayName("breaks a tie in favour of the action listed first")
    void tie() {
      set("d-tie", traits(0, 0.5, 0.7, 0.7, 0));

      assertThat(decide("d-tie", Perception.newBuilder().setHealth(1).setPlayersNearby(2).setPlayerDisposition(1).build())
          .getAction()).isEqualTo(NpcAction.TALK);
    }

    @Test
    @DisplayName("idles with no traits at all")
    void idle() {
      set("d-idle", Traits.getDefaultInstance());

      assertThat(decide("d-idle", Perception.newBuilder().setHealth(1).setThreat(0).build()).getAction())
          .isEqualTo(NpcAction.IDLE);
    }

    @Test
    @DisplayName("answers NOT_FOUND for an NPC without a profile")
    void unknown() {
      expect(() -> decide("d-ghost", Perception.getDefaultInstance()), Code.NOT_FOUND, "npc d-ghost has no profile");
    }

    @Test
    @DisplayName("refuses a health outside [0, 1]")
    void health() {
      expectInvalid(() -> decide("x", Perception.newBuilder().setHealth(1.2).build()), "perception.health",
          "must be in [0, 1], got 1.2");
    }

    @Test
    @DisplayName("refuses a threat outside [0, 1]")
    void threat() {
      expectInvalid(() -> decide("x", Perception.newBuilder().setThreat(-0.1).build()), "perception.threat",
          "must be in [0, 1], got -0.1");
    }

    @Test
    @DisplayName("refuses a player_disposition outside [-1, 1]")
    void disposition() {
      expectInvalid(() -> decide("x", Perception.newBuilder().setPlayerDisposition(2).build()),
          "perception.player_disposition", "must be in [-1, 1], got 2.0");
    }

    @Test
    @DisplayName("refuses a negative count")
    void negativeCount() {
      expectInvalid(() -> decide("x", Perception.newBuilder().setHostilesNearby(-1).build()),
          "perception.hostiles_nearby", "must be >= 0, got -1");
    }

    @Test
    @DisplayName("refuses an empty npc_id")
    void empty() {
      expectInvalid(() -> decide("", Perception.getDefaultInstance()), "npc_id", "is required");
    }
  }

  @Nested
  @DisplayName("over HTTP and NATS")
  class DualStackAnswers {

    private DualStack dual(RpcClient client) {
      return new DualStack(hosted.host().httpUrl(), client);
    }

    @Test
    @DisplayName("set_profile answers the same for twin NPCs")
    void setProfile(RpcClient client) {
      dual(client).assertSame(npc.method("set_profile"),
          SetProfileRequest.newBuilder().setNpcId("ds-nats-npc").setTraits(traits(0.1, 0.2, 0.3, 0.4, 0.5)).setExpectedVersion(0).build(),
          SetProfileRequest.newBuilder().setNpcId("ds-http-npc").setTraits(traits(0.1, 0.2, 0.3, 0.4, 0.5)).setExpectedVersion(0).build(),
          Optional.empty(), s -> s.replace("ds-http", "ds-nats"));
    }

    @Test
    @DisplayName("get_profile answers the same")
    void getProfile(RpcClient client) {
      set("ds-get", traits(0.5, 0.5, 0.5, 0.5, 0.5));
      dual(client).assertSame(npc.method("get_profile"), GetProfileRequest.newBuilder().setNpcId("ds-get").build());
    }

    @Test
    @DisplayName("decide answers the same")
    void decide(RpcClient client) {
      set("ds-decide", traits(0.7, 0.2, 0.4, 0.1, 0.9));
      dual(client).assertSame(npc.method("decide"), DecideRequest.newBuilder().setNpcId("ds-decide")
          .setPerception(Perception.newBuilder().setHealth(0.6).setThreat(0.3).setPlayersNearby(1).setPlayerDisposition(-0.4)).build());
    }
  }
}
