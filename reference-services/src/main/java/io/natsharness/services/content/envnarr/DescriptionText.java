package io.natsharness.services.content.envnarr;

import io.natsharness.proto.content.envnarr.v1.NearbyLandmark;
import io.natsharness.proto.util.time.v1.Phase;
import io.natsharness.proto.util.weather.v1.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fixed templates of describe (environmental_narrative.proto): a phase sentence, a weather
 * sentence, then one sentence per landmark by distance, joined by spaces. Pure, so the same
 * inputs always give the same text.
 *
 * <pre>{@code
 * DescriptionText.compose("old-town", Phase.DUSK, Condition.RAIN, landmarks, descriptions);
 * // "Dusk settles over old-town. Rain is falling. Nearby stands The Bell Tower. It tolls at noon."
 * }</pre>
 */
final class DescriptionText {

  private DescriptionText() {}

  static String compose(String region, Phase phase, Condition weather, List<NearbyLandmark> landmarks,
      Map<String, String> descriptions) {
    List<String> sentences = new ArrayList<>();
    sentences.add(phaseSentence(phase, region));
    sentences.add(weatherSentence(weather));
    for (NearbyLandmark l : landmarks) {
      sentences.add(where(l.getDistance()) + " stands " + l.getName() + ".");
      String description = descriptions.getOrDefault(l.getLandmarkId(), "");
      if (!description.isEmpty()) {
        sentences.add(description);
      }
    }
    return String.join(" ", sentences);
  }

  static String phaseSentence(Phase phase, String region) {
    return switch (phase) {
      case DAWN -> "Dawn breaks over " + region + ".";
      case DAY -> "Day lies bright over " + region + ".";
      case DUSK -> "Dusk settles over " + region + ".";
      case NIGHT -> "Night has fallen over " + region + ".";
      default -> "Time passes over " + region + ".";
    };
  }

  static String weatherSentence(Condition condition) {
    return switch (condition) {
      case CLEAR -> "The sky is clear.";
      case CLOUDY -> "Clouds hang low.";
      case RAIN -> "Rain is falling.";
      case STORM -> "A storm rages.";
      case SNOW -> "Snow is falling.";
      case FOG -> "Fog shrouds everything.";
      default -> "The weather is " + condition.name().toLowerCase(Locale.ROOT) + ".";
    };
  }

  static String where(double distance) {
    if (distance <= 10) {
      return "Right here";
    }
    return distance <= 50 ? "Nearby" : "In the distance";
  }
}
