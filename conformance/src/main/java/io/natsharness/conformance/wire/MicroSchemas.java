package io.natsharness.conformance.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/** The ADR-32 (micro v1) response schemas, checked with networknt's JSON Schema validator. */
public enum MicroSchemas {
  PING("ping_response"),
  INFO("info_response"),
  STATS("stats_response");

  private final JsonSchema schema;

  MicroSchemas(String name) {
    String resource = "/io/natsharness/conformance/micro/" + name + ".schema.json";
    try (InputStream in = MicroSchemas.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema " + resource + " is missing from the class path");
      }
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The violations of {@code reply} against this schema, as sentences; empty when valid. */
  public List<String> violations(JsonNode reply) {
    Set<ValidationMessage> messages = schema.validate(reply);
    return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
  }
}
