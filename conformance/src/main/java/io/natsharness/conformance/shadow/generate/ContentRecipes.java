package io.natsharness.conformance.shadow.generate;

import com.google.rpc.Code;
import io.natsharness.proto.common.v1.PageRequest;
import io.natsharness.proto.common.v1.Vector3;
import io.natsharness.proto.content.envnarr.v1.DescribeRequest;
import io.natsharness.proto.content.envnarr.v1.RegisterLandmarkRequest;
import io.natsharness.proto.content.kb.v1.DeleteFactRequest;
import io.natsharness.proto.content.kb.v1.GetFactRequest;
import io.natsharness.proto.content.kb.v1.PutFactRequest;
import io.natsharness.proto.content.kb.v1.SearchRequest;
import io.natsharness.proto.content.language.v1.DetectLanguageRequest;
import io.natsharness.proto.content.language.v1.GlossaryEntry;
import io.natsharness.proto.content.language.v1.LocalizeRequest;
import io.natsharness.proto.content.language.v1.PutGlossaryRequest;
import io.natsharness.proto.content.language.v1.TranslateRequest;
import io.natsharness.proto.content.story.v1.Arc;
import io.natsharness.proto.content.story.v1.GetArcRequest;
import io.natsharness.proto.content.story.v1.NextBeatRequest;
import io.natsharness.proto.content.story.v1.StartArcRequest;
import java.util.List;

/** Recipes of the content domain: story_teller, environmental_narrative, language_system, knowledge_base. */
final class ContentRecipes {

  private ContentRecipes() {}

  static void storyTeller(RecipeContext r) {
    Values v = r.values();
    r.call("start_arc").as("arc").request(StartArcRequest.newBuilder().setPlayerId(v.id("player"))
        .setTitle("The " + v.title(2)).setPremise(v.words(10)).setSeed(v.seedValue())
        .setTemperature(v.decimal(0, 1)).setMaxBeats(2).build());
    String choice = "open the " + v.words(1) + " door";
    r.call("next_beat").as("beat_1").request(b -> NextBeatRequest.newBuilder()
        .setArcId(b.get("arc", Arc.class).getArcId()).setChoice(choice).setMaxTokens(24).build());
    r.call("next_beat").as("beat_2").request(b -> NextBeatRequest.newBuilder()
        .setArcId(b.get("arc", Arc.class).getArcId()).setMaxTokens(24).build());
    r.call("get_arc").request(b -> GetArcRequest.newBuilder().setArcId(b.get("arc", Arc.class).getArcId()).build());
    r.call("next_beat").as("beat_after_the_end").expect(Code.FAILED_PRECONDITION).request(b -> NextBeatRequest
        .newBuilder().setArcId(b.get("arc", Arc.class).getArcId()).build());
  }

  static void environmentalNarrative(RecipeContext r) {
    Values v = r.values();
    String region = v.id("vale");
    Vector3 here = Vector3.newBuilder().setX(v.decimal(0, 50)).setZ(v.decimal(0, 50)).build();
    List<String> names = List.of("Old " + v.title(1) + " 0", "Old " + v.title(1) + " 1");
    for (int i = 0; i < 2; i++) {
      r.call("register_landmark").as("landmark_" + i).request(RegisterLandmarkRequest.newBuilder().setRegion(region)
          .setName(names.get(i)).setPosition(here.toBuilder().setX(here.getX() + 5 * i + 1))
          .setRadius(30).setDescription("It is " + v.words(3) + ".").addTags("ruin").build());
    }
    // The clock's hour is steady (time_manager runs first and sets scale 1), so phase and weather agree.
    r.call("describe").request(DescribeRequest.newBuilder().setRegion(region).setPosition(here).setMaxLandmarks(3).build());
    r.call("register_landmark").as("same_name").expect(Code.ALREADY_EXISTS).request(RegisterLandmarkRequest.newBuilder()
        .setRegion(region).setName(names.get(0).toUpperCase(java.util.Locale.ROOT)).setPosition(here).build());
  }

  static void languageSystem(RecipeContext r) {
    Values v = r.values();
    r.call("put_glossary").request(PutGlossaryRequest.newBuilder().setSourceLanguage("en").setTargetLanguage("de")
        .addEntries(GlossaryEntry.newBuilder().setTerm("Iron Keep").setTranslation("Eisenburg"))
        .addEntries(GlossaryEntry.newBuilder().setTerm(v.words(1) + " gate").setTranslation("Tor")).build());
    r.call("translate").request(TranslateRequest.newBuilder().setText("The Iron Keep and the " + v.words(2) + " stand.")
        .setSourceLocale("en").setTargetLocale(v.pick(List.of("de", "de-AT"))).build());
    r.call("localize").request(LocalizeRequest.newBuilder().setKey("quest.reward").setLocale(v.pick(List.of("de-AT", "fr", "es")))
        .putParams("count", String.valueOf(v.between(0, 5))).build());
    r.call("detect_language").request(DetectLanguageRequest.newBuilder()
        .setText(v.pick(List.of("Der Hund und die Katze schlafen", "Le chien et le chat dorment", "The dog and the cat sleep")))
        .build());
    r.call("localize").as("unknown_key").expect(Code.NOT_FOUND).request(LocalizeRequest.newBuilder()
        .setKey(v.id("no.such").replace('-', '.')).setLocale("en").build());
  }

  static void knowledgeBase(RecipeContext r) {
    Values v = r.values();
    String tag = v.id("t").replace("-", "");
    String keep = v.id("fact");
    String river = v.id("fact");
    r.call("put_fact").request(PutFactRequest.newBuilder().setFactId(keep).setTitle("Founding of the " + v.title(2))
        .setText("The keep was founded by " + v.words(4) + ".").addTags("lore").addTags(tag).build());
    r.call("put_fact").as("put_second").request(PutFactRequest.newBuilder().setFactId(river)
        .setTitle("The " + v.title(1) + " river").setText("A river of " + v.words(3) + " keep.").addTags(tag).build());
    r.call("get_fact").request(GetFactRequest.newBuilder().setFactId(keep).build());
    r.call("search").request(SearchRequest.newBuilder().setQuery("keep founded river").addTags(tag)
        .setPage(PageRequest.newBuilder().setPageSize(10)).build());
    r.call("delete_fact").request(DeleteFactRequest.newBuilder().setFactId(river).build());
    r.call("search").as("search_after_delete").request(SearchRequest.newBuilder().addTags(tag).build());
    r.call("get_fact").as("deleted_fact").expect(Code.NOT_FOUND).request(GetFactRequest.newBuilder().setFactId(river).build());
  }
}
