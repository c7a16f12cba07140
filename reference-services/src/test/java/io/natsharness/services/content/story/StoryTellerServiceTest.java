package io.natsharness.services.content.story;

import static io.natsharness.services.util.kit.Calls.assertError;
import static io.natsharness.services.util.kit.Calls.assertInvalid;
import static io.natsharness.services.util.kit.Calls.assertPrecondition;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.ai.llm.v1.InferRequest;
import io.natsharness.proto.ai.llm.v1.InferResponse;
import io.natsharness.proto.content.story.v1.Arc;
import io.natsharness.proto.content.story.v1.ArcCompleted;
import io.natsharness.proto.content.story.v1.ArcStarted;
import io.natsharness.proto.content.story.v1.ArcStatus;
import io.natsharness.proto.content.story.v1.Beat;
import io.natsharness.proto.content.story.v1.BeatAppended;
import io.natsharness.proto.content.story.v1.GetArcRequest;
import io.natsharness.proto.content.story.v1.NextBeatRequest;
import io.natsharness.proto.content.story.v1.StartArcRequest;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.Ids;
import io.natsharness.services.util.kit.Calls;
import io.natsharness.services.util.kit.Hosted;
import io.natsharness.services.util.kit.StoredEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("story_teller")
class StoryTellerServiceTest {

  static Hosted hosted;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) {
    hosted = Hosted.start(info, "story_teller", "ai_integration");
  }

  @AfterAll
  static void stop() {
    if (hosted != null) {
      hosted.close();
    }
  }

  static Calls calls(RpcClient client) {
    return new Calls(client, "svc.content.story.v1");
  }

  static String key() {
    return UUID.randomUUID().toString();
  }

  static StartArcRequest arc(String player, int maxBeats) {
    return StartArcRequest.newBuilder().setPlayerId(player).setTitle("The Drowned Bell")
        .setPremise("A bell rings under the lake.").setSeed(7).setTemperature(0.5).setMaxBeats(maxBeats).build();
  }

  static Arc start(Calls calls, int maxBeats) {
    return calls.call("start_arc", arc("p-" + UUID.randomUUID(), maxBeats), key());
  }

  static Beat next(Calls calls, String arcId, String choice) {
    return calls.call("next_beat", NextBeatRequest.newBuilder().setArcId(arcId).setChoice(choice).build(), key());
  }

  static Arc get(Calls calls, String arcId) {
    return calls.call("get_arc", GetArcRequest.newBuilder().setArcId(arcId).build());
  }

  @Nested
  @DisplayName("start_arc")
  class StartArc {

    @Test
    @DisplayName("derives the arc id, applies the defaults, and a repeated key returns the first arc")
    void starts(RpcClient client, JetStreamManagement jsm) {
      Calls calls = calls(client);
      String player = "p-" + UUID.randomUUID();
      String k = key();
      Arc a = calls.call("start_arc", arc(player, 0), k);
      assertThat(a.getArcId()).isEqualTo(Ids.derived("arc-", 16, player, "The Drowned Bell"));
      assertThat(a.getMaxBeats()).isEqualTo(20);
      assertThat(a.getStatus()).isEqualTo(ArcStatus.OPEN);
      assertThat(a.getBeatsList()).isEmpty();
      assertThat((Arc) calls.call("start_arc", arc(player, 0), k)).isEqualTo(a);
      assertError(() -> calls.call("start_arc", arc(player, 0), key()), Code.ALREADY_EXISTS,
          "player " + player + " already has an arc titled \"The Drowned Bell\"");
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(StoredEvents.payloads(jsm,
          "EVT_CONTENT", "evt.content.story.v1.arc_started", ArcStarted.parser())).containsOnlyOnce(
          ArcStarted.newBuilder().setArcId(a.getArcId()).setPlayerId(player).setTitle("The Drowned Bell").build()));
    }

    @Test
    @DisplayName("refuses a missing key, empty or long fields, temperature and max_beats out of range")
    void validates(RpcClient client, Connection nats) {
      Calls calls = calls(client);
      StartArcRequest ok = arc("p", 5);
      assertInvalid(() -> Calls.raw(nats, "svc.content.story.v1.start_arc", ok, Arc.parser()), "Idempotency-Key",
          "Idempotency-Key: an Idempotency-Key header is required");
      assertInvalid(() -> calls.call("start_arc", ok.toBuilder().clearPlayerId().build(), key()), "player_id",
          "player_id: must not be empty");
      assertInvalid(() -> calls.call("start_arc", ok.toBuilder().setTitle("t".repeat(201)).build(), key()), "title",
          "title: must be at most 200 characters");
      assertInvalid(() -> calls.call("start_arc", ok.toBuilder().setPremise("p".repeat(2001)).build(), key()),
          "premise", "premise: must be at most 2000 characters");
      assertInvalid(() -> calls.call("start_arc", ok.toBuilder().setTemperature(2.5).build(), key()), "temperature",
          "temperature: must be in [0.0, 2.0]");
      assertInvalid(() -> calls.call("start_arc", ok.toBuilder().setMaxBeats(101).build(), key()), "max_beats",
          "max_beats: must be in [0, 100]");
    }
  }

  @Nested
  @DisplayName("next_beat")
  class NextBeat {

    @Test
    @DisplayName("asks ai_integration with the documented prompt and seed, and appends the answer")
    void generates(RpcClient client) {
      Calls calls = calls(client);
      Arc a = start(calls, 10);
      Beat first = next(calls, a.getArcId(), "");
      Beat second = next(calls, a.getArcId(), "ring the bell");
      InferResponse expected = client.call("svc.ai.llm.v1.infer", InferRequest.newBuilder()
          .setPrompt("Title: The Drowned Bell\nPremise: A bell rings under the lake.\nBeat 1: " + first.getText()
              + "\nPlayer choice: ring the bell\nBeat 2:")
          .setMaxTokens(256).setTemperature(0.5).setSeed(7 + 2).build());
      assertThat(second.getNumber()).isEqualTo(2);
      assertThat(second.getText()).isEqualTo(expected.getOutput());
      assertThat(second.getGenerationId()).isEqualTo(expected.getGenerationId());
      assertThat(second.getTokensUsed()).isEqualTo(expected.getTokensUsed());
      assertThat(second.getChoice()).isEqualTo("ring the bell");
      Arc stored = get(calls, a.getArcId());
      assertThat(stored.getBeatsList()).containsExactly(first, second);
      assertThat(stored.getMeta().getVersion()).isEqualTo(3);
    }

    @Test
    @DisplayName("a repeated key returns the first beat and appends nothing")
    void idempotent(RpcClient client) {
      Calls calls = calls(client);
      Arc a = start(calls, 10);
      String k = key();
      NextBeatRequest request = NextBeatRequest.newBuilder().setArcId(a.getArcId()).build();
      Beat first = calls.call("next_beat", request, k);
      assertThat((Beat) calls.call("next_beat", request, k)).isEqualTo(first);
      assertThat(get(calls, a.getArcId()).getBeatsCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("the beat reaching max_beats completes the arc; another is FAILED_PRECONDITION")
    void completes(RpcClient client, JetStreamManagement jsm) {
      Calls calls = calls(client);
      Arc a = start(calls, 2);
      next(calls, a.getArcId(), "");
      next(calls, a.getArcId(), "");
      assertThat(get(calls, a.getArcId()).getStatus()).isEqualTo(ArcStatus.COMPLETED);
      assertPrecondition(() -> next(calls, a.getArcId(), ""), "ARC_COMPLETED",
          "arc " + a.getArcId() + " is completed (2 beats)");
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(StoredEvents.payloads(jsm, "EVT_CONTENT", "evt.content.story.v1.beat_appended",
            BeatAppended.parser())).filteredOn(e -> e.getArcId().equals(a.getArcId()))
            .extracting(BeatAppended::getNumber).containsExactly(1, 2);
        assertThat(StoredEvents.payloads(jsm, "EVT_CONTENT", "evt.content.story.v1.arc_completed",
            ArcCompleted.parser())).containsOnlyOnce(ArcCompleted.newBuilder().setArcId(a.getArcId())
            .setPlayerId(a.getPlayerId()).setBeatCount(2).build());
      });
    }

    @Test
    @DisplayName("20 concurrent calls on one arc get the numbers 1 to 20, without gaps or repeats")
    void concurrent(RpcClient client) {
      Calls calls = calls(client);
      Arc a = start(calls, 100);
      List<CompletableFuture<Beat>> futures = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        futures.add(client.callAsync("svc.content.story.v1.next_beat", NextBeatRequest.newBuilder()
            .setArcId(a.getArcId()).setChoice("choice " + i).build(),
            CallOptions.builder().idempotencyKey(key()).timeout(Duration.ofSeconds(30)).build()));
      }
      List<Integer> numbers = futures.stream().map(CompletableFuture::join).map(Beat::getNumber).sorted().toList();
      assertThat(numbers).isEqualTo(IntStream.rangeClosed(1, 20).boxed().toList());
      assertThat(get(calls, a.getArcId()).getBeatsList()).extracting(Beat::getNumber)
          .isEqualTo(IntStream.rangeClosed(1, 20).boxed().toList());
    }

    @Test
    @DisplayName("an unknown model is ai_integration's NOT_FOUND, unchanged, and appends nothing")
    void unknownModel(RpcClient client) {
      Calls calls = calls(client);
      Arc a = calls.call("start_arc", arc("p-" + UUID.randomUUID(), 3).toBuilder().setModel("no-such-model").build(),
          key());
      RpcException direct = org.junit.jupiter.api.Assertions.assertThrows(RpcException.class, () -> client.call(
          "svc.ai.llm.v1.infer", InferRequest.newBuilder().setPrompt("x").setModel("no-such-model").build()));
      assertError(() -> next(calls, a.getArcId(), ""), Code.NOT_FOUND, direct.statusMessage());
      assertThat(get(calls, a.getArcId()).getBeatsList()).isEmpty();
    }

    @Test
    @DisplayName("refuses a missing key, an empty or unknown arc, a long choice and max_tokens out of range")
    void validates(RpcClient client, Connection nats) {
      Calls calls = calls(client);
      NextBeatRequest ok = NextBeatRequest.newBuilder().setArcId("arc-0000").build();
      assertInvalid(() -> Calls.raw(nats, "svc.content.story.v1.next_beat", ok, Beat.parser()), "Idempotency-Key",
          "Idempotency-Key: an Idempotency-Key header is required");
      assertInvalid(() -> calls.call("next_beat", NextBeatRequest.getDefaultInstance(), key()), "arc_id",
          "arc_id: must not be empty");
      assertInvalid(() -> calls.call("next_beat", ok.toBuilder().setChoice("c".repeat(501)).build(), key()), "choice",
          "choice: must be at most 500 characters");
      assertInvalid(() -> calls.call("next_beat", ok.toBuilder().setMaxTokens(1025).build(), key()), "max_tokens",
          "max_tokens: must be in [0, 1024]");
      assertError(() -> calls.call("next_beat", ok, key()), Code.NOT_FOUND, "arc arc-0000 does not exist");
    }
  }

  @Nested
  @DisplayName("get_arc")
  class GetArc {

    @Test
    @DisplayName("an unknown arc is NOT_FOUND and an empty id INVALID_ARGUMENT")
    void errors(RpcClient client) {
      Calls calls = calls(client);
      assertError(() -> get(calls, "arc-nope"), Code.NOT_FOUND, "arc arc-nope does not exist");
      assertInvalid(() -> get(calls, ""), "arc_id", "arc_id: must not be empty");
    }

    @Test
    @DisplayName("a new host on the same Redis answers the arc with its beats and goes on numbering")
    void survivesRestart(RpcClient client) {
      Calls calls = calls(client);
      Arc a = start(calls, 5);
      Beat first = next(calls, a.getArcId(), "");
      hosted.restart();
      assertThat(get(calls, a.getArcId()).getBeatsList()).containsExactly(first);
      assertThat(next(calls, a.getArcId(), "").getNumber()).isEqualTo(2);
    }
  }
}
