package io.natsharness.services.examples;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsharness.proto.ai.llm.v1.InferRequest;
import io.natsharness.proto.ai.llm.v1.InferResponse;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.status.RpcException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * The seed document's quick start, in Java: asks {@code svc.ai.llm.v1.infer} about NATS and
 * prints the answer as the seed shows it.
 *
 * <pre>
 * NATS_URL=nats://127.0.0.1:4222 java -cp … io.natsharness.services.examples.QuickStart
 *
 * Connected to NATS
 * Sending request to svc.ai.llm.v1.infer
 * Generation ID: gen-…
 * Output: …
 * Tokens used: 30
 * Finish reason: stop
 * </pre>
 *
 * Exit code 0 on an answer, 1 when NATS or the service cannot be reached or answers an error.
 */
public final class QuickStart {

  /** The subject of ai_integration's infer. */
  public static final String SUBJECT = "svc.ai.llm.v1.infer";
  /** The prompt of the seed's example. */
  public static final String PROMPT = "Tell me about NATS messaging";

  private QuickStart() {}

  public static void main(String[] args) {
    String url = args.length > 0 ? args[0] : System.getenv().getOrDefault("NATS_URL", Options.DEFAULT_URL);
    System.exit(run(url, System.out, System.err));
  }

  /** Runs the example against {@code natsUrl}; returns the exit code. */
  public static int run(String natsUrl, PrintStream out, PrintStream err) {
    Options options = new Options.Builder().server(natsUrl).connectionTimeout(Duration.ofSeconds(5))
        .maxReconnects(0).errorListener(new io.nats.client.ErrorListener() {}).build();
    try (Connection nats = Nats.connect(options)) {
      out.println("Connected to NATS");
      return call(nats, out, err);
    } catch (IOException e) {
      err.println("Error: cannot connect to NATS at " + natsUrl + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("Error: interrupted");
      return 1;
    }
  }

  /** Sends the request on an open connection and prints the answer. */
  public static int call(Connection nats, PrintStream out, PrintStream err) {
    try (RpcClient client = RpcClient.builder().connection(nats).build()) {
      out.println("Sending request to " + SUBJECT);
      InferResponse response = client.call(SUBJECT, InferRequest.newBuilder().setPrompt(PROMPT).build(),
          CallOptions.builder().timeout(Duration.ofSeconds(10)).build());
      out.println("Generation ID: " + response.getGenerationId());
      out.println("Output: " + response.getOutput());
      out.println("Tokens used: " + response.getTokensUsed());
      out.println("Finish reason: " + response.getFinishReason().name().toLowerCase(Locale.ROOT));
      return 0;
    } catch (RpcException e) {
      err.println("Error: " + e.getMessage());
      return 1;
    }
  }
}
