package io.natsharness.services.content.language;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The messages localize renders: one bundle per supported language, read at start from
 * {@code messages_<language>.properties} (UTF-8) next to this class, every message parsed then,
 * so a malformed one stops the service from starting rather than failing a request.
 *
 * <pre>{@code
 * MessageCatalogue catalogue = MessageCatalogue.load();
 * Optional<IcuMessage> m = catalogue.find("de", "quest.completed");
 * }</pre>
 */
final class MessageCatalogue {

  static final Pattern KEY = Pattern.compile("[a-z0-9._-]{1,128}");

  private final Map<String, Map<String, IcuMessage>> bundles;

  private MessageCatalogue(Map<String, Map<String, IcuMessage>> bundles) {
    this.bundles = bundles;
  }

  static MessageCatalogue load() {
    Map<String, Map<String, IcuMessage>> bundles = new HashMap<>();
    for (String language : LanguageTag.LANGUAGES) {
      bundles.put(language, bundle(language));
    }
    return new MessageCatalogue(Map.copyOf(bundles));
  }

  Optional<IcuMessage> find(String language, String key) {
    return Optional.ofNullable(bundles.getOrDefault(language, Map.of()).get(key));
  }

  private static Map<String, IcuMessage> bundle(String language) {
    String name = "messages_" + language + ".properties";
    Properties properties = new Properties();
    try (InputStream in = MessageCatalogue.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("message bundle " + name + " is missing");
      }
      properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read message bundle " + name, e);
    }
    Map<String, IcuMessage> messages = new HashMap<>();
    for (String key : properties.stringPropertyNames()) {
      if (!KEY.matcher(key).matches()) {
        throw new IllegalStateException("message bundle " + name + " has a malformed key '" + key + "'");
      }
      try {
        messages.put(key, IcuMessage.parse(properties.getProperty(key)));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("message " + key + " of " + name + ": " + e.getMessage(), e);
      }
    }
    return Map.copyOf(messages);
  }
}
