package io.natsharness.services.content.language;

import io.natsharness.proto.content.language.v1.DetectLanguageResponse;
import io.natsharness.proto.content.language.v1.LanguageScore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * detect_language's documented rule: each supported language scores the share of the text's
 * words (repeats counted) found in its word list; the highest wins, ties by language code; no
 * known word at all gives "und" with confidence 0.
 *
 * <pre>{@code
 * new LanguageDetector(lexicon).detect("Der Drache schläft").getLanguage(); // "de"
 * }</pre>
 */
final class LanguageDetector {

  static final String UNDETERMINED = "und";

  private final Lexicon lexicon;

  LanguageDetector(Lexicon lexicon) {
    this.lexicon = lexicon;
  }

  DetectLanguageResponse detect(String text) {
    List<String> words = Words.lowerWords(text);
    List<LanguageScore> scores = new ArrayList<>();
    for (String language : LanguageTag.LANGUAGES) {
      long known = words.stream().filter(w -> lexicon.knows(language, w)).count();
      double score = words.isEmpty() ? 0 : (double) known / words.size();
      scores.add(LanguageScore.newBuilder().setLanguage(language).setScore(score).build());
    }
    scores.sort(Comparator.comparingDouble(LanguageScore::getScore).reversed()
        .thenComparing(LanguageScore::getLanguage));
    LanguageScore best = scores.get(0);
    DetectLanguageResponse.Builder out = DetectLanguageResponse.newBuilder().addAllCandidates(scores);
    if (best.getScore() == 0) {
      return out.setLanguage(UNDETERMINED).setConfidence(0).build();
    }
    return out.setLanguage(best.getLanguage()).setConfidence(best.getScore()).build();
  }
}
