package io.natsharness.conformance.contract.game;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Breaker;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.conformance.contract.kit.Rpc;
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
import java.util.List;

/**
 * Contract checks of {@code npc_behavior}: profiles with compare-and-set, and decide's documented
 * utility function, reproduced here term by term so every score can be compared exactly.
 *
 * <pre>{@code
 * List<Check> checks = NpcBehaviorChecks.checks();
 * }</pre>
 */
public final class NpcBehaviorChecks {

  static final String SERVICE = "npc_behavior";

  private static final Traits GUARD = Traits.newBuilder().setAggression(0.8).setCourage(0.3).setSociability(0.6)
      .setGreed(0.2).setDiligence(0.5).build();

  private NpcBehaviorChecks() {}

  public static List<Check> checks() {
    return ContractChecks.forService(SERVICE)
        .behaviour("set_profile", "creates_and_replaces", "set_profile stores the profile at meta.version 1, a"
            + " replacement bumps the version, and get_profile returns what was stored",
            NpcBehaviorChecks::createsAndReplaces)
        .error("set_profile", "compare_and_set", Code.ABORTED, "with expected_version, 0 means no profile yet and"
            + " n means meta.version n; a mismatch is ABORTED and changes nothing", NpcBehaviorChecks::compareAndSet)
        .behaviour("set_profile", "profile_updated_event", "set_profile publishes one profile_updated event with"
            + " the stored profile", NpcBehaviorChecks::updatedEvent)
        .error("set_profile", "invalid_fields", Code.INVALID_ARGUMENT, "an empty or malformed npc_id, a"
            + " display_name over 100 chars or a trait outside [0, 1] is INVALID_ARGUMENT",
            NpcBehaviorChecks::invalidProfiles)
        .error("set_profile", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a set_profile past"
            + " its deadline is DEADLINE_EXCEEDED and stores nothing", ctx -> {
              SetProfileRequest request = profile(ctx, GUARD);
              npc(ctx).call("set_profile").expiredDeadline().fails(request, Code.DEADLINE_EXCEEDED);
              npc(ctx).fails("get_profile", get(request.getNpcId()), Code.NOT_FOUND);
            })
        .error("get_profile", "empty_id", Code.INVALID_ARGUMENT, "an empty npc_id is INVALID_ARGUMENT",
            ctx -> npc(ctx).failsOn("get_profile", get(""), "npc_id"))
        .error("get_profile", "unknown", Code.NOT_FOUND, "an NPC without a profile is NOT_FOUND",
            ctx -> npc(ctx).fails("get_profile", get(Names.id(ctx, "npc")), Code.NOT_FOUND))
        .behaviour("decide", "utility_function", "decide returns the six scores of the documented utility"
            + " function in enum order, exactly, and the best action", NpcBehaviorChecks::utilityFunction)
        .behaviour("decide", "ties_go_first", "when two actions score the same, the one listed first in the enum"
            + " wins", NpcBehaviorChecks::tiesGoFirst)
        .behaviour("decide", "uses_latest_profile", "decide uses the profile's latest version and reports it",
            NpcBehaviorChecks::usesLatestProfile)
        .error("decide", "unknown", Code.NOT_FOUND, "deciding for an NPC without a profile is NOT_FOUND",
            ctx -> npc(ctx).fails("decide", DecideRequest.newBuilder().setNpcId(Names.id(ctx, "npc"))
                .setPerception(Perception.newBuilder().setHealth(1)).build(), Code.NOT_FOUND))
        .error("decide", "invalid_perception", Code.INVALID_ARGUMENT, "an empty npc_id, health or threat outside"
            + " [0, 1], a disposition outside [-1, 1] or a negative count is INVALID_ARGUMENT",
            NpcBehaviorChecks::invalidPerceptions)
        .build();
  }

  static Rpc npc(CheckContext ctx) {
    return Rpc.of(ctx, SERVICE);
  }

  private static SetProfileRequest profile(CheckContext ctx, Traits traits) {
    return SetProfileRequest.newBuilder().setNpcId(Names.id(ctx, "npc")).setDisplayName("Captain Aldric")
        .setTraits(traits).build();
  }

  private static GetProfileRequest get(String npcId) {
    return GetProfileRequest.newBuilder().setNpcId(npcId).build();
  }

  private static DecideRequest decide(String npcId, Perception perception) {
    return DecideRequest.newBuilder().setNpcId(npcId).setPerception(perception).build();
  }

  private static void createsAndReplaces(CheckContext ctx) {
    SetProfileRequest request = profile(ctx, GUARD);
    NpcProfile created = npc(ctx).ok("set_profile", request);
    assertThat(created.getNpcId()).as("npc_id").isEqualTo(request.getNpcId());
    assertThat(created.getDisplayName()).as("display_name").isEqualTo("Captain Aldric");
    assertThat(created.getTraits()).as("traits").isEqualTo(GUARD);
    assertThat(created.getMeta().getVersion()).as("meta.version of a new profile").isEqualTo(1);
    assertThat(npc(ctx).<NpcProfile>ok("get_profile", get(request.getNpcId()))).as("get_profile").isEqualTo(created);
    NpcProfile replaced = npc(ctx).ok("set_profile", request.toBuilder().setDisplayName("Aldric the Old").build());
    assertThat(replaced.getMeta().getVersion()).as("meta.version after a replacement").isEqualTo(2);
    assertThat(replaced.getDisplayName()).as("display_name after a replacement").isEqualTo("Aldric the Old");
  }

  private static void compareAndSet(CheckContext ctx) {
    SetProfileRequest request = profile(ctx, GUARD);
    NpcProfile created = npc(ctx).ok("set_profile", request.toBuilder().setExpectedVersion(0).build());
    assertThat(created.getMeta().getVersion()).as("meta.version created with expected_version 0").isEqualTo(1);
    npc(ctx).fails("set_profile", request.toBuilder().setExpectedVersion(0).build(), Code.ABORTED);
    NpcProfile second = npc(ctx).ok("set_profile", request.toBuilder().setDisplayName("v2").setExpectedVersion(1)
        .build());
    assertThat(second.getMeta().getVersion()).as("meta.version after expected_version 1").isEqualTo(2);
    npc(ctx).fails("set_profile", request.toBuilder().setDisplayName("stale").setExpectedVersion(1).build(),
        Code.ABORTED);
    assertThat(npc(ctx).<NpcProfile>ok("get_profile", get(request.getNpcId())))
        .as("the profile after refused writes").isEqualTo(second);
  }

  private static void updatedEvent(CheckContext ctx) {
    SetProfileRequest request = profile(ctx, GUARD);
    try (EventSpy<ProfileUpdated> events = EventSpy.on(ctx, SERVICE, "profile_updated")) {
      NpcProfile stored = npc(ctx).ok("set_profile", request);
      ProfileUpdated event = events.awaitOne(e -> e.getProfile().getNpcId().equals(request.getNpcId()));
      assertThat(event.getProfile()).as("profile in the event").isEqualTo(stored);
    }
  }

  private static void invalidProfiles(CheckContext ctx) {
    SetProfileRequest valid = profile(ctx, GUARD);
    npc(ctx).failsOnEach("set_profile", valid, List.<Breaker<SetProfileRequest.Builder>>of(
        Breaker.of("npc_id", b -> b.setNpcId("")),
        Breaker.of("npc_id", b -> b.setNpcId("npc with spaces")),
        Breaker.of("display_name", b -> b.setDisplayName("x".repeat(101))),
        Breaker.of("traits", b -> b.setTraits(GUARD.toBuilder().setAggression(1.5))),
        Breaker.of("traits", b -> b.setTraits(GUARD.toBuilder().setDiligence(-0.1)))));
    npc(ctx).fails("get_profile", get(valid.getNpcId()), Code.NOT_FOUND);
  }

  private static void utilityFunction(CheckContext ctx) {
    NpcProfile guard = npc(ctx).ok("set_profile", profile(ctx, GUARD));
    NpcProfile merchant = npc(ctx).ok("set_profile", profile(ctx, Traits.newBuilder().setGreed(0.9)
        .setSociability(0.1).build()));
    NpcProfile statue = npc(ctx).ok("set_profile", profile(ctx, Traits.getDefaultInstance()));
    List<Case> cases = List.of(
        new Case(guard, Perception.newBuilder().setHealth(1).build(), NpcAction.PATROL),
        new Case(guard, Perception.newBuilder().setHealth(1).setPlayersNearby(1).setPlayerDisposition(0.9).build(),
            NpcAction.TALK),
        new Case(guard, Perception.newBuilder().setHealth(0.2).setThreat(0.9).setHostilesNearby(2).build(),
            NpcAction.FLEE),
        new Case(guard, Perception.newBuilder().setHealth(1).setThreat(0.6).setHostilesNearby(1).build(),
            NpcAction.ATTACK),
        new Case(guard, Perception.newBuilder().setHealth(0.9).setPlayersNearby(3).setPlayerDisposition(-1).build(),
            NpcAction.ATTACK),
        new Case(merchant, Perception.newBuilder().setHealth(1).setPlayersNearby(1).setPlayerDisposition(0.5)
            .build(), NpcAction.TRADE),
        new Case(statue, Perception.newBuilder().setHealth(0.5).setHostilesNearby(1).setPlayersNearby(2).build(),
            NpcAction.IDLE));
    for (Case c : cases) {
      DecideResponse answer = npc(ctx).ok("decide", decide(c.profile().getNpcId(), c.perception()));
      DecideResponse again = npc(ctx).ok("decide", decide(c.profile().getNpcId(), c.perception()));
      assertThat(again).as("the same decision asked twice").isEqualTo(answer);
      assertThat(answer.getNpcId()).as("npc_id").isEqualTo(c.profile().getNpcId());
      assertThat(answer.getScoresList()).as("scores for %s", c).containsExactlyElementsOf(
          expectedScores(c.profile().getTraits(), c.perception()));
      assertThat(answer.getAction()).as("action for %s", c).isEqualTo(c.expected());
      assertThat(answer.getProfileVersion()).as("profile_version").isEqualTo(c.profile().getMeta().getVersion());
    }
  }

  private static void tiesGoFirst(CheckContext ctx) {
    NpcProfile even = npc(ctx).ok("set_profile", profile(ctx, Traits.newBuilder().setSociability(0.5).setGreed(0.5)
        .build()));
    Perception friendly = Perception.newBuilder().setHealth(1).setPlayersNearby(1).setPlayerDisposition(0.8).build();
    DecideResponse answer = npc(ctx).ok("decide", decide(even.getNpcId(), friendly));
    assertThat(answer.getScores(2).getScore()).as("TALK and TRADE score the same")
        .isEqualTo(answer.getScores(5).getScore());
    assertThat(answer.getAction()).as("action on a TALK/TRADE tie").isEqualTo(NpcAction.TALK);
  }

  private static void usesLatestProfile(CheckContext ctx) {
    SetProfileRequest request = profile(ctx, GUARD);
    npc(ctx).ok("set_profile", request);
    Perception calm = Perception.newBuilder().setHealth(1).build();
    assertThat(npc(ctx).<DecideResponse>ok("decide", decide(request.getNpcId(), calm)).getAction())
        .as("action of the first profile").isEqualTo(NpcAction.PATROL);
    npc(ctx).ok("set_profile", request.toBuilder().setTraits(Traits.getDefaultInstance()).build());
    DecideResponse after = npc(ctx).ok("decide", decide(request.getNpcId(), calm));
    assertThat(after.getAction()).as("action of the replaced profile").isEqualTo(NpcAction.IDLE);
    assertThat(after.getProfileVersion()).as("profile_version after the replacement").isEqualTo(2);
  }

  private static void invalidPerceptions(CheckContext ctx) {
    NpcProfile guard = npc(ctx).ok("set_profile", profile(ctx, GUARD));
    Perception ok = Perception.newBuilder().setHealth(1).build();
    npc(ctx).failsOnEach("decide", decide(guard.getNpcId(), ok), List.<Breaker<DecideRequest.Builder>>of(
        Breaker.of("npc_id", b -> b.clearNpcId()),
        Breaker.of("perception", b -> b.setPerception(ok.toBuilder().setHealth(1.5))),
        Breaker.of("perception", b -> b.setPerception(ok.toBuilder().setThreat(-0.1))),
        Breaker.of("perception", b -> b.setPerception(ok.toBuilder().setPlayerDisposition(1.5))),
        Breaker.of("perception", b -> b.setPerception(ok.toBuilder().setHostilesNearby(-1))),
        Breaker.of("perception", b -> b.setPerception(ok.toBuilder().setPlayersNearby(-2)))));
  }

  /** The utility function of npc_behavior.proto, term by term, left to right in IEEE double. */
  static List<ActionScore> expectedScores(Traits traits, Perception p) {
    double t = p.getThreat();
    double h = p.getHealth();
    double d = p.getPlayerDisposition();
    double players = p.getPlayersNearby() > 0 ? 1 : 0;
    double hostiles = p.getHostilesNearby() > 0 ? 1 : 0;
    double friendly = Math.max(0, d);
    double hostile = Math.max(0, -d);
    return List.of(
        score(NpcAction.IDLE, 0.1),
        score(NpcAction.PATROL, 0.4 * traits.getDiligence() * (1 - t)),
        score(NpcAction.TALK, traits.getSociability() * friendly * players * (1 - t)),
        score(NpcAction.FLEE, t * (1 - traits.getCourage()) * (1 - 0.5 * h)),
        score(NpcAction.ATTACK, traits.getAggression() * h * Math.max(t * hostiles, hostile * players)),
        score(NpcAction.TRADE, traits.getGreed() * friendly * players * (1 - t)));
  }

  private static ActionScore score(NpcAction action, double value) {
    return ActionScore.newBuilder().setAction(action).setScore(value).build();
  }

  private record Case(NpcProfile profile, Perception perception, NpcAction expected) {
    @Override
    public String toString() {
      return expected + " case " + Perception.newBuilder(perception).build().toString().replace('\n', ' ');
    }
  }
}
