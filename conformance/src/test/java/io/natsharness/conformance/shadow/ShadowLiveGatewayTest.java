package io.natsharness.conformance.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsharness.conformance.cli.ShadowCommand;
import io.natsharness.conformance.target.HarnessTarget;
import io.natsharness.gateway.Gateway;
import io.natsharness.gateway.config.GatewayConfig;
import io.natsharness.gateway.config.RouteSettings;
import io.natsharness.gateway.cutover.CutoverMode;
import io.natsharness.gateway.traffic.ObservationFile;
import io.natsharness.harness.Backend;
import io.natsharness.harness.NatsHarness;
import io.natsharness.harness.NatsHarnessExtension;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.util.payment.v1.CreateWalletRequest;
import io.natsharness.proto.util.payment.v1.Wallet;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.service.ServiceHost;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * End to end: the gateway in SHADOW mode in front of the reference legacy side and a mutant NATS
 * side (get_balance shouts the owner), writing its observations; {@code natsharness shadow
 * --observations} then reports exactly that method and field, with a sample, from the live file.
 */
@DisplayName("shadow: the gateway's live observations")
class ShadowLiveGatewayTest {

  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
  private static final List<AutoCloseable> OPEN = new ArrayList<>();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String GET_BALANCE = "svc.util.payment.v1.get_balance";

  private static Path dir;
  private static Path observations;
  private static URI legacy;
  private static Gateway gateway;
  private static String wallet;

  static <T extends AutoCloseable> T open(T resource) {
    OPEN.add(resource);
    return resource;
  }

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("shadow-live");
    observations = dir.resolve("observations.ndjson");
    HarnessTarget primary = open(HarnessTarget.start(Backend.EMBEDDED,
        SkewedReference.ahead(Duration.ZERO).services("payment"), Optional.empty(), QUIET));
    HarnessTarget backend = open(HarnessTarget.start(Backend.EMBEDDED,
        SkewedReference.ahead(Duration.ofMillis(15)).services("payment"), Optional.empty(), QUIET));
    NatsHarness candidateServers = open(NatsHarness.start(NatsHarnessExtension.builder().withBackend(Backend.EMBEDDED)));
    Connection candidateNats = open(Nats.connect(candidateServers.info().natsOptions().build()));
    RpcClient toBackend = open(RpcClient.builder().connection(backend.nats()).build());
    MutantPayment mutant = new MutantPayment(toBackend);
    mutant.mutate(ShadowMutantTest.SHOUTED_OWNER);
    open(ServiceHost.builder().connection(candidateNats).add(mutant).build().start());
    legacy = primary.httpBaseUri().orElseThrow();

    // The same wallet on both sides (its id derives from the owner), set up on each side directly.
    HttpResponse<String> created = post(legacy.resolve("/v1/util/payment/wallets"), "{\"ownerId\":\"ann\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    wallet = new ObjectMapper().readTree(created.body()).get("walletId").asText();
    Wallet onNats = toBackend.call("svc.util.payment.v1.create_wallet",
        CreateWalletRequest.newBuilder().setOwnerId("ann").build());
    assertThat(onNats.getWalletId()).isEqualTo(wallet);

    Connection gatewayNats = open(Nats.connect(candidateServers.info().natsOptions().build()));
    // Live traffic has no second primary: clock fields need a rule (on the NATS side they differ by design).
    gateway = open(Gateway.builder().withConnection(gatewayNats).withConfig(GatewayConfig.builder()
        .withPort(0).withRouterSync(false).withLegacyUrl(legacy).withDefaultMode(CutoverMode.shadow())
        .withShadowObservationsFile(observations)
        .withRoute(GET_BALANCE, RouteSettings.none().withShadowIgnoredFields(Set.of("meta.created_at", "meta.updated_at")))
        .build()).build().start());
  }

  @AfterAll
  static void stop() throws Exception {
    for (int i = OPEN.size() - 1; i >= 0; i--) {
      OPEN.get(i).close();
    }
  }

  static HttpResponse<String> post(URI uri, String json) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(URI uri) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("a SHADOW run against a divergent service, reported from the file: exactly that method and field")
  void reported() throws Exception {
    assertThat(get(gateway.uri("/v1/util/payment/wallets/" + wallet + "/balance")).statusCode()).isEqualTo(200);
    assertThat(get(gateway.uri("/v1/util/payment/wallets/wal-0000000000000000/balance")).statusCode()).isEqualTo(404);
    assertThat(post(gateway.uri("/v1/util/payment/wallets/" + wallet + "/transactions:list"), "{}").statusCode())
        .isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(observations)
        && ObservationFile.read(observations, ServiceCatalog.load()).size() == 3);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Path reports = dir.resolve("reports");
    int code = new CommandLine(new ShadowCommand(new PrintStream(out, true, StandardCharsets.UTF_8)))
        .execute("--observations", observations.toString(), "--report-dir", reports.toString());
    String printed = out.toString(StandardCharsets.UTF_8);

    assertThat(code).as(printed).isEqualTo(1);
    assertThat(printed).contains("note: no noise baseline for live traffic: every difference counts")
        .contains("FAILED " + GET_BALANCE + ": 1 of 2 requests mismatched");
    JsonNode json = new ObjectMapper().readTree(reports.resolve("shadow.json").toFile());
    assertThat(json.get("noiseSource").asText()).startsWith("not measured: live traffic has no second primary");
    List<String> failed = new ArrayList<>();
    json.get("methods").forEach(m -> {
      if (!m.get("passed").asBoolean()) {
        failed.add(m.get("subject").asText());
      }
    });
    assertThat(failed).containsExactly(GET_BALANCE);
    JsonNode balance = null;
    for (JsonNode m : json.get("methods")) {
      if (m.get("subject").asText().equals(GET_BALANCE)) {
        balance = m;
      }
    }
    assertThat(balance.get("fields")).hasSize(1);
    JsonNode field = balance.get("fields").get(0);
    assertThat(field.get("field").asText()).isEqualTo("owner_id");
    assertThat(field.get("verdict").asText()).isEqualTo("REGRESSION");
    JsonNode sample = field.get("samples").get(0);
    assertThat(sample.get("primary").toString()).contains("\"owner_id\":\"ann\"");
    assertThat(sample.get("candidate").toString()).contains("\"owner_id\":\"ANN\"");
    assertThat(reports.resolve("shadow-comparison.html")).exists();
  }
}
