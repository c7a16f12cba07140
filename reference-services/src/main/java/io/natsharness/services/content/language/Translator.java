package io.natsharness.services.content.language;

import io.natsharness.proto.content.language.v1.Glossary;
import io.natsharness.proto.content.language.v1.GlossaryEntry;
import io.natsharness.proto.content.language.v1.TranslateResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * translate's two passes. First the glossary: its terms, longest first (ties in put order), each
 * replacing whole-word, case-insensitive occurrences that do not overlap an earlier replacement.
 * Then the dictionary, word by word, outside the replaced spans, keeping whether the first letter
 * was upper case. Everything else (spaces, punctuation, numbers) is copied.
 *
 * <pre>{@code
 * TranslateResponse r = new Translator(lexicon).translate("The Iron Keep", "en", "de", glossary);
 * }</pre>
 */
final class Translator {

  private final Lexicon lexicon;

  Translator(Lexicon lexicon) {
    this.lexicon = lexicon;
  }

  TranslateResponse translate(String text, String source, String target, Optional<Glossary> glossary) {
    TranslateResponse.Builder out = TranslateResponse.newBuilder().setSourceLanguage(source)
        .setTargetLanguage(target);
    if (source.equals(target)) {
      return out.setTranslatedText(text).build();
    }
    // Start offset -> (end offset, replacement) of every glossary replacement.
    TreeMap<Integer, Replacement> replaced = new TreeMap<>();
    glossary.ifPresent(g -> applyGlossary(text, g, replaced));
    out.setGlossaryHits(replaced.size())
        .setGlossaryVersion(glossary.map(g -> g.getMeta().getVersion()).orElse(0L));

    StringBuilder result = new StringBuilder();
    Set<String> unknown = new LinkedHashSet<>();
    int dictionaryHits = 0;
    int cursor = 0;
    for (Words.Span word : Words.spans(text)) {
      if (word.start() < cursor) {
        continue; // inside a glossary replacement already written
      }
      cursor = copyUntil(text, cursor, word.start(), replaced, result);
      if (cursor > word.start()) {
        continue;
      }
      Replacement here = replaced.get(word.start());
      if (here != null) {
        result.append(here.text());
        cursor = here.end();
        continue;
      }
      String original = word.in(text);
      Optional<String> translated = lexicon.translate(source, target, word.lowerIn(text));
      if (translated.isPresent()) {
        result.append(matchCapital(original, translated.get()));
        dictionaryHits++;
      } else {
        result.append(original);
        unknown.add(word.lowerIn(text));
      }
      cursor = word.end();
    }
    copyUntil(text, cursor, text.length(), replaced, result);
    return out.setTranslatedText(result.toString()).setDictionaryHits(dictionaryHits)
        .addAllUnknownWords(unknown).build();
  }

  private record Replacement(int end, String text) {}

  /** Copies text[from, to) with glossary replacements applied; returns where copying stopped. */
  private static int copyUntil(String text, int from, int to, TreeMap<Integer, Replacement> replaced,
      StringBuilder out) {
    int i = from;
    while (i < to) {
      var next = replaced.ceilingEntry(i);
      if (next == null || next.getKey() >= to) {
        out.append(text, i, to);
        return to;
      }
      out.append(text, i, next.getKey()).append(next.getValue().text());
      i = next.getValue().end();
    }
    return i;
  }

  private static void applyGlossary(String text, Glossary glossary, TreeMap<Integer, Replacement> replaced) {
    List<GlossaryEntry> entries = new ArrayList<>(glossary.getEntriesList());
    entries.sort(Comparator.comparingInt((GlossaryEntry e) -> e.getTerm().length()).reversed());
    for (GlossaryEntry entry : entries) {
      String term = entry.getTerm();
      int from = 0;
      while (from + term.length() <= text.length()) {
        int at = indexOfIgnoreCase(text, term, from);
        if (at < 0) {
          break;
        }
        int end = at + term.length();
        boolean whole = !Words.isWordChar(text, at - 1) && !Words.isWordChar(text, end);
        if (whole && !overlaps(replaced, at, end)) {
          replaced.put(at, new Replacement(end, entry.getTranslation()));
          from = end;
        } else {
          from = at + 1;
        }
      }
    }
  }

  private static boolean overlaps(TreeMap<Integer, Replacement> replaced, int start, int end) {
    var before = replaced.floorEntry(end - 1);
    return before != null && before.getValue().end() > start;
  }

  private static int indexOfIgnoreCase(String text, String term, int from) {
    for (int i = from; i + term.length() <= text.length(); i++) {
      if (text.regionMatches(true, i, term, 0, term.length())) {
        return i;
      }
    }
    return -1;
  }

  private static String matchCapital(String original, String translation) {
    if (translation.isEmpty() || !Character.isUpperCase(original.codePointAt(0))) {
      return translation;
    }
    int first = translation.codePointAt(0);
    return new StringBuilder().appendCodePoint(Character.toUpperCase(first))
        .append(translation.substring(Character.charCount(first))).toString();
  }
}
