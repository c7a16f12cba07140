package io.natsharness.services.ai.llm;

import io.natsharness.proto.ai.llm.v1.FinishReason;
import io.natsharness.services.ai.llm.ServedModels.ServedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deterministic "language model": a seeded word generator over a fixed vocabulary, with the
 * prompt's own words mixed in so answers look related to the question. A token is one word with
 * its leading space (none on the first), so the concatenated tokens are the output.
 *
 * <p>Everything that shapes the output is hashed into the seed: model, prompt, temperature (its
 * IEEE-754 bits) and the request seed. Temperature also widens the part of the vocabulary drawn
 * from (0 = the 16 most common words, 2 = all of them). max_tokens does not change the words, only
 * where they are cut, so a longer max_tokens extends a shorter one's output.
 *
 * <pre>{@code
 * Generation g = TextGenerator.generate(model, "Tell me about NATS messaging", 0.7, 42L, 256);
 * g.output(); g.tokens().size(); g.finishReason();
 * }</pre>
 */
final class TextGenerator {

  private static final String[] VOCABULARY = (
      "the a of and to in is that it for on with as by this from at be are was "
          + "message subject stream service request reply server client queue cluster "
          + "route signal ledger lantern harbour river tower road gate market forest valley "
          + "north ancient quiet bright swift steady hidden distant silver iron golden old "
          + "travels carries answers listens waits gathers remembers opens guards follows "
          + "carefully always never together beyond beneath across through within between "
          + "merchant guard traveller scholar keeper courier captain herald wanderer smith "
          + "story promise journey ember whisper shadow morning evening season echo")
      .split(" ");

  private static final int NARROW_VOCABULARY = 16;
  private static final Pattern PROMPT_WORD = Pattern.compile("\\p{L}[\\p{L}\\p{N}'-]{2,}");
  private static final double PROMPT_WORD_SHARE = 0.2;

  /** One generation: its tokens, in order, and why it ended. */
  record Generation(List<String> tokens, FinishReason finishReason) {
    String output() {
      return String.join("", tokens);
    }
  }

  private TextGenerator() {}

  static Generation generate(ServedModel model, String prompt, double temperature, long seed, int maxTokens) {
    SplitMix64 rng = SplitMix64.seededFrom(
        "infer", model.name(), prompt, temperatureKey(temperature), Long.toUnsignedString(seed));
    int natural = model.minWords() + rng.nextInt(model.maxWords() - model.minWords() + 1);
    int length = Math.min(natural, maxTokens);
    int width = NARROW_VOCABULARY
        + (int) Math.round(temperature / 2.0 * (VOCABULARY.length - NARROW_VOCABULARY));
    List<String> promptWords = promptWords(prompt);

    List<String> tokens = new ArrayList<>(length);
    int sentenceLeft = 0;
    for (int i = 0; i < length; i++) {
      boolean sentenceStart = sentenceLeft == 0;
      if (sentenceStart) {
        sentenceLeft = 6 + rng.nextInt(9);
      }
      String word = !promptWords.isEmpty() && rng.nextDouble() < PROMPT_WORD_SHARE
          ? promptWords.get(rng.nextInt(promptWords.size()))
          : VOCABULARY[rng.nextInt(width)];
      if (sentenceStart) {
        word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
      }
      sentenceLeft--;
      if (sentenceLeft == 0 || i == natural - 1) {
        word = word + ".";
        sentenceLeft = 0;
      }
      tokens.add(i == 0 ? word : " " + word);
    }
    return new Generation(tokens, natural > maxTokens ? FinishReason.LENGTH : FinishReason.STOP);
  }

  /** Hex of the IEEE-754 bits, with -0.0 folded into 0.0 so both spellings of zero agree. */
  static String temperatureKey(double temperature) {
    double t = temperature == 0.0 ? 0.0 : temperature;
    return Long.toHexString(Double.doubleToLongBits(t));
  }

  private static List<String> promptWords(String prompt) {
    List<String> words = new ArrayList<>();
    Matcher m = PROMPT_WORD.matcher(prompt);
    while (m.find() && words.size() < 64) {
      String w = m.group();
      // Keep acronyms ("NATS") as written, lower-case ordinary words.
      words.add(w.equals(w.toUpperCase(Locale.ROOT)) ? w : w.toLowerCase(Locale.ROOT));
    }
    return words;
  }
}
