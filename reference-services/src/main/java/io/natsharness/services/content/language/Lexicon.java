package io.natsharness.services.content.language;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in word data: the dictionary ({@code dictionary.tsv}, one concept per line in every
 * supported language) and, per language, the word list detect_language scores with (the
 * dictionary's column plus {@code words_<language>.txt}).
 *
 * <pre>{@code
 * Lexicon lexicon = Lexicon.load();
 * lexicon.translate("en", "de", "sword");   // Optional[schwert]
 * lexicon.knows("fr", "épée");              // true
 * }</pre>
 */
final class Lexicon {

  private final List<String> columns;
  private final List<String[]> rows;
  private final Map<String, Map<String, Integer>> index;
  private final Map<String, Set<String>> wordLists;

  private Lexicon(List<String> columns, List<String[]> rows, Map<String, Set<String>> wordLists) {
    this.columns = columns;
    this.rows = rows;
    this.wordLists = wordLists;
    this.index = new HashMap<>();
    for (int c = 0; c < columns.size(); c++) {
      Map<String, Integer> byWord = new HashMap<>();
      for (int r = 0; r < rows.size(); r++) {
        byWord.putIfAbsent(rows.get(r)[c], r);
      }
      index.put(columns.get(c), byWord);
    }
  }

  static Lexicon load() {
    List<String> lines = lines("dictionary.tsv");
    List<String> columns = List.of(lines.get(0).split("\t"));
    if (!new HashSet<>(columns).equals(new HashSet<>(LanguageTag.LANGUAGES))) {
      throw new IllegalStateException("dictionary.tsv must have one column per supported language, has " + columns);
    }
    List<String[]> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split("\t");
      if (cells.length != columns.size()) {
        throw new IllegalStateException("dictionary.tsv line '" + line + "' has " + cells.length + " cells");
      }
      rows.add(cells);
    }
    Map<String, Set<String>> wordLists = new HashMap<>();
    for (int c = 0; c < columns.size(); c++) {
      Set<String> words = new HashSet<>();
      for (String[] row : rows) {
        words.addAll(List.of(row[c].split(" ")));
      }
      for (String line : lines("words_" + columns.get(c) + ".txt")) {
        for (String w : line.trim().split("\\s+")) {
          words.add(w.toLowerCase(Locale.ROOT));
        }
      }
      wordLists.put(columns.get(c), Set.copyOf(words));
    }
    return new Lexicon(columns, rows, wordLists);
  }

  /** The dictionary's translation of a lower-case word, if the source column has it. */
  Optional<String> translate(String source, String target, String word) {
    Integer row = index.get(source).get(word);
    return row == null ? Optional.empty() : Optional.of(rows.get(row)[columns.indexOf(target)]);
  }

  /** Whether a lower-case word is in the language's word list. */
  boolean knows(String language, String word) {
    return wordLists.get(language).contains(word);
  }

  private static List<String> lines(String name) {
    try (InputStream in = Lexicon.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("language resource " + name + " is missing");
      }
      List<String> out = new ArrayList<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank() && !line.startsWith("#")) {
          out.add(line);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read language resource " + name, e);
    }
  }
}
