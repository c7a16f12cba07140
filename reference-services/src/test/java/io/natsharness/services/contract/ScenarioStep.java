package io.natsharness.services.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One step of the dual-stack scenario ({@code dual-stack-requests.jsonl}): a valid request of a
 * method, in proto3 JSON, where {@code ${step.field.path}} stands for a value of an earlier step's
 * answer (ids the services derive), and optionally the error both sides must agree on.
 */
record ScenarioStep(String name, MethodInfo method, String requestJson, Optional<String> expectError) {

  static final String RESOURCE = "/io/natsharness/services/contract/dual-stack-requests.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)\\.([A-Za-z0-9_.]+)}");

  static List<ScenarioStep> load() {
    List<ScenarioStep> steps = new ArrayList<>();
    try (InputStream in = ScenarioStep.class.getResourceAsStream(RESOURCE);
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = JSON.readTree(line);
        String subject = node.get("subject").asText();
        MethodInfo method = ServiceCatalog.load().method(subject)
            .orElseThrow(() -> new IllegalStateException("scenario step names unknown subject " + subject));
        steps.add(new ScenarioStep(node.get("name").asText(), method, node.get("request").toString(),
            Optional.ofNullable(node.get("expectError")).map(JsonNode::asText)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return steps;
  }

  /** The request, with placeholders filled from earlier answers (their proto3 JSON). */
  Message request(Map<String, String> answers) {
    Matcher m = PLACEHOLDER.matcher(requestJson);
    StringBuilder json = new StringBuilder();
    while (m.find()) {
      String answer = answers.get(m.group(1));
      if (answer == null) {
        throw new IllegalStateException(name + " refers to step " + m.group(1) + ", which has no answer");
      }
      m.appendReplacement(json, Matcher.quoteReplacement(lookup(answer, m.group(2))));
    }
    m.appendTail(json);
    Message.Builder builder = method.requestPrototype().newBuilderForType();
    try {
      JsonFormat.parser().merge(json.toString(), builder);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("step " + name + " is not a valid " + method.requestType().getFullName(), e);
    }
    return builder.build();
  }

  private String lookup(String answerJson, String path) {
    try {
      JsonNode node = JSON.readTree(answerJson);
      for (String part : path.split("\\.")) {
        node = node.path(part);
      }
      if (!node.isValueNode()) {
        throw new IllegalStateException(name + ": no value at " + path + " in " + answerJson);
      }
      return node.asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
