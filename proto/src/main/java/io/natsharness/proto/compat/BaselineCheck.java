package io.natsharness.proto.compat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.TextFormat;
import io.natsharness.proto.catalog.ServiceCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The build step that guards the contract: compares the descriptor set protoc just wrote with the
 * committed baseline and fails the build on any breaking change, naming each one.
 *
 * <p>Run by the proto module's build (exec-maven-plugin, phase compile). To accept a
 * deliberate break, or to record additions, rewrite the baseline:
 *
 * <pre>{@code
 * ./mvnw -pl proto compile -Dnatsharness.baseline.update=true
 * }</pre>
 */
public final class BaselineCheck {

  private BaselineCheck() {}

  /**
   * Arguments: the baseline file (text format) and the current descriptor set (binary).
   * With {@code -Dnatsharness.baseline.update=true} the baseline is rewritten instead.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: BaselineCheck <baseline.txtpb> <descriptors.binpb>");
    }
    run(Path.of(args[0]), Path.of(args[1]), Boolean.getBoolean("natsharness.baseline.update"));
  }

  /** Checks {@code currentSet} against {@code baselineFile}, or rewrites the baseline when {@code update}. */
  static void run(Path baselineFile, Path currentSet, boolean update) throws IOException {
    FileDescriptorSet current;
    try (InputStream in = Files.newInputStream(currentSet)) {
      current = FileDescriptorSet.parseFrom(in, ServiceCatalog.optionsRegistry());
    }
    if (update) {
      Files.createDirectories(baselineFile.toAbsolutePath().getParent());
      Files.writeString(baselineFile, render(current));
      System.out.println("[contract] baseline written to " + baselineFile);
      return;
    }
    if (!Files.exists(baselineFile)) {
      throw new IllegalStateException("no contract baseline at " + baselineFile
          + "; create it with: ./mvnw -pl proto compile -Dnatsharness.baseline.update=true");
    }
    List<Breakage> breaks = BreakingChangeDetector.compare(read(baselineFile), current);
    if (!breaks.isEmpty()) {
      StringBuilder message = new StringBuilder("The contract change breaks old clients (")
          .append(breaks.size()).append(breaks.size() == 1 ? " break" : " breaks").append("):");
      breaks.forEach(b -> message.append("\n  - ").append(b));
      message.append("\nAdd instead of changing (reserve removed numbers and names), or, for a")
          .append(" deliberate break, rewrite the baseline with")
          .append(" -Dnatsharness.baseline.update=true and say so in the commit.");
      throw new ContractBreakException(message.toString());
    }
    System.out.println("[contract] no breaking change against " + baselineFile);
  }

  /** The baseline's text form: the schema files only, without source positions, so diffs read well. */
  static String render(FileDescriptorSet set) {
    FileDescriptorSet.Builder stripped = FileDescriptorSet.newBuilder();
    for (FileDescriptorProto file : set.getFileList()) {
      if (ServiceCatalog.isSchemaFile(file.getName())) {
        stripped.addFile(file.toBuilder().clearSourceCodeInfo());
      }
    }
    return "# Contract baseline: the schemas as last released. Checked by BaselineCheck at build time.\n"
        + "# Regenerate: ./mvnw -pl proto compile -Dnatsharness.baseline.update=true\n"
        + TextFormat.printer().printToString(stripped.build());
  }

  static FileDescriptorSet read(Path baselineFile) throws IOException {
    FileDescriptorSet.Builder builder = FileDescriptorSet.newBuilder();
    TextFormat.Parser parser = TextFormat.Parser.newBuilder().build();
    parser.merge(Files.readString(baselineFile, StandardCharsets.UTF_8),
        ServiceCatalog.optionsRegistry(), builder);
    return builder.build();
  }

  /** Thrown when the contract change would break old clients; its message names every break. */
  public static final class ContractBreakException extends RuntimeException {
    public ContractBreakException(String message) {
      super(message);
    }
  }
}
