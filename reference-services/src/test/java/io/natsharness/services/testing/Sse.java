package io.natsharness.services.testing;

import java.util.ArrayList;
import java.util.List;

/** A minimal Server-Sent Events reader for complete response bodies (tests only). */
public final class Sse {

  /** One event: its name ("message" when none), id (may be empty) and data (lines joined by '\n'). */
  public record Event(String name, String id, String data) {}

  private Sse() {}

  public static List<Event> parse(String body) {
    List<Event> events = new ArrayList<>();
    String name = "message";
    String id = "";
    StringBuilder data = null;
    for (String line : body.split("\n", -1)) {
      if (line.isEmpty()) {
        if (data != null) {
          events.add(new Event(name, id, data.toString()));
        }
        name = "message";
        id = "";
        data = null;
      } else if (line.startsWith("event:")) {
        name = line.substring(6).strip();
      } else if (line.startsWith("id:")) {
        id = line.substring(3).strip();
      } else if (line.startsWith("data:")) {
        String value = line.substring(5);
        value = value.startsWith(" ") ? value.substring(1) : value;
        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      }
    }
    return events;
  }
}
