package io.natsharness.proto.diff;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.proto.catalog.MethodInfo;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The comparison engine: two answers of one method, compared as protobuf trees, give the list of
 * {@link Difference}s by path and kind. Used by the shadow suite and the gateway's SHADOW mode.
 *
 * <pre>{@code
 * MethodInfo charge = ServiceCatalog.load().method("svc.util.payment.v1.charge").orElseThrow();
 * Answer legacy = AnswerJson.read(charge.responseType(), httpBody);
 * Answer nats = Answer.of(natsResponse);
 * List<Difference> diffs = MessageDiff.compare(charge, legacy, nats,
 *     DiffRules.builder().withIgnored("created_at").build());
 * // [VALUE balance_after.minor_units: 500 -> 450]
 * }</pre>
 *
 * <p>How values compare: scalars by value (numbers within the rules' tolerance), enums by number,
 * timestamps and durations as instants and spans (within tolerance), wrappers as their value,
 * {@code Any} by type and then by its unpacked fields, messages field by field in declaration
 * order. An empty string or bytes on one side only is MISSING or EXTRA (proto3 JSON leaves it
 * out); a zero number, false or the first enum value are values like any other. An unset message
 * field equals one set to its empty value, as in JSON; otherwise one side's message without the
 * other's is MISSING or EXTRA, as for fields with explicit presence. A oneof set to different
 * members is a TYPE difference. Lists and maps: see the package documentation. Errors: a message against an error is ERROR_VS_SUCCESS at
 * {@code @status}; two errors compare their codes (STATUS_CODE at {@code @status.code}), messages
 * ({@code @status.message}) and details ({@code @status.details}). The output order is the walk
 * order, so the same inputs always give the same list.
 */
public final class MessageDiff {

  private static final FieldDescriptor STATUS_DETAILS = Status.getDescriptor().findFieldByName("details");
  private static final FieldDescriptor STATUS_MESSAGE = Status.getDescriptor().findFieldByName("message");

  private MessageDiff() {}

  /** Compares two answers of {@code method}: its response type, or its chunk type for a stream. */
  public static List<Difference> compare(MethodInfo method, Answer primary, Answer candidate, DiffRules rules) {
    return compare(method.responseType(), primary, candidate, rules, IdMap.create());
  }

  /** As {@link #compare(MethodInfo, Answer, Answer, DiffRules)}, holding ids to an existing mapping. */
  public static List<Difference> compare(MethodInfo method, Answer primary, Answer candidate, DiffRules rules,
      IdMap ids) {
    return compare(method.responseType(), primary, candidate, rules, ids);
  }

  /** Compares two answers whose messages should be of {@code type}. */
  public static List<Difference> compare(Descriptor type, Answer primary, Answer candidate, DiffRules rules) {
    return compare(type, primary, candidate, rules, IdMap.create());
  }

  /** Compares two messages of the same type. */
  public static List<Difference> compare(Message primary, Message candidate, DiffRules rules) {
    return compare(primary.getDescriptorForType(), Answer.of(primary), Answer.of(candidate), rules, IdMap.create());
  }

  /**
   * Compares two answers whose messages should be of {@code type}, with {@code ids} carrying the
   * id mapping from earlier comparisons of the same session.
   */
  public static List<Difference> compare(Descriptor type, Answer primary, Answer candidate, DiffRules rules,
      IdMap ids) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(ids, "ids");
    Answer p = plainError(Objects.requireNonNull(primary, "primary"));
    Answer c = plainError(Objects.requireNonNull(candidate, "candidate"));
    p = asStream(p, c);
    c = asStream(c, p);
    Comparison comparison = new Comparison(rules, ids);
    answers(type, p, c, comparison);
    return List.copyOf(comparison.out);
  }

  /** An error before any stream message is the same answer as a plain error. */
  private static Answer plainError(Answer answer) {
    if (answer instanceof Answer.Stream s && s.messages().isEmpty() && s.error().isPresent()) {
      return Answer.error(s.error().get());
    }
    return answer;
  }

  /** Against a stream that got going, an error is a stream that failed before its first message. */
  private static Answer asStream(Answer answer, Answer other) {
    if (answer instanceof Answer.Failure f && other instanceof Answer.Stream) {
      return Answer.stream(List.of(), f.status());
    }
    return answer;
  }

  private static void answers(Descriptor type, Answer p, Answer c, Comparison cmp) {
    if (p instanceof Answer.Unreadable || c instanceof Answer.Unreadable) {
      if (p instanceof Answer.Unreadable pu && c instanceof Answer.Unreadable cu) {
        if (!pu.content().equals(cu.content())) {
          cmp.add("", DifferenceKind.VALUE, Rendering.quote(pu.content()), Rendering.quote(cu.content()));
        }
      } else {
        cmp.add("", DifferenceKind.TYPE, describe(p), describe(c));
      }
      return;
    }
    if (p instanceof Answer.Failure pf && c instanceof Answer.Failure cf) {
      statuses(pf.status(), cf.status(), cmp);
    } else if (p instanceof Answer.Failure || c instanceof Answer.Failure) {
      cmp.add("@status", DifferenceKind.ERROR_VS_SUCCESS, outcome(p), outcome(c));
    } else if (p instanceof Answer.Success ps && c instanceof Answer.Success cs) {
      successes(type, ps, cs, cmp);
    } else if (p instanceof Answer.Stream ps && c instanceof Answer.Stream cs) {
      streams(type, ps, cs, cmp);
    } else {
      cmp.add("", DifferenceKind.TYPE, describe(p), describe(c));
    }
  }

  private static void successes(Descriptor type, Answer.Success p, Answer.Success c, Comparison cmp) {
    String pt = p.message().getDescriptorForType().getFullName();
    String ct = c.message().getDescriptorForType().getFullName();
    if (!pt.equals(type.getFullName()) || !ct.equals(type.getFullName())) {
      cmp.add("", DifferenceKind.TYPE, Rendering.quote(pt), Rendering.quote(ct));
      return;
    }
    cmp.messages("", List.of(), p.message(), c.message());
    unknown(p.unknownFields(), c.unknownFields(), cmp);
  }

  private static void unknown(Map<String, String> p, Map<String, String> c, Comparison cmp) {
    for (String path : Comparison.union(p.keySet(), c.keySet())) {
      if (cmp.rules.ignores(FieldPath.segments(FieldPath.strip(path)))) {
        continue;
      }
      String pv = p.get(path);
      String cv = c.get(path);
      if (pv == null) {
        cmp.add(path, DifferenceKind.EXTRA, Difference.ABSENT, cv);
      } else if (cv == null) {
        cmp.add(path, DifferenceKind.MISSING, pv, Difference.ABSENT);
      } else if (!pv.equals(cv)) {
        cmp.add(path, DifferenceKind.VALUE, pv, cv);
      }
    }
  }

  private static void streams(Descriptor type, Answer.Stream p, Answer.Stream c, Comparison cmp) {
    for (Message m : p.messages()) {
      if (!m.getDescriptorForType().getFullName().equals(type.getFullName())) {
        cmp.add("", DifferenceKind.TYPE, Rendering.quote(type.getFullName()),
            Rendering.quote(m.getDescriptorForType().getFullName()));
        return;
      }
    }
    int common = Math.min(p.messages().size(), c.messages().size());
    if (p.messages().size() != c.messages().size()) {
      cmp.add("@stream", DifferenceKind.SIZE, String.valueOf(p.messages().size()), String.valueOf(c.messages().size()));
    }
    for (int i = 0; i < common; i++) {
      cmp.messages(FieldPath.index("@stream", i), List.of(), p.messages().get(i), c.messages().get(i));
    }
    for (int i = common; i < p.messages().size(); i++) {
      cmp.add(FieldPath.index("@stream", i), DifferenceKind.MISSING, Rendering.message(p.messages().get(i)),
          Difference.ABSENT);
    }
    for (int i = common; i < c.messages().size(); i++) {
      cmp.add(FieldPath.index("@stream", i), DifferenceKind.EXTRA, Difference.ABSENT,
          Rendering.message(c.messages().get(i)));
    }
    Optional<Status> pe = p.error();
    Optional<Status> ce = c.error();
    if (pe.isPresent() && ce.isPresent()) {
      statuses(pe.get(), ce.get(), cmp);
    } else if (pe.isPresent() || ce.isPresent()) {
      cmp.add("@status", DifferenceKind.ERROR_VS_SUCCESS, outcome(p), outcome(c));
    }
  }

  private static void statuses(Status p, Status c, Comparison cmp) {
    List<String> status = List.of("@status");
    if (p.getCode() != c.getCode() && !cmp.rules.ignores(List.of("@status", "code"))) {
      cmp.add("@status.code", DifferenceKind.STATUS_CODE, Rendering.quote(codeName(p.getCode())),
          Rendering.quote(codeName(c.getCode())));
    }
    List<String> message = Comparison.child(status, "message");
    if (!cmp.rules.ignores(message)) {
      cmp.value("@status.message", message, STATUS_MESSAGE, p.getMessage(), c.getMessage());
    }
    List<String> details = Comparison.child(status, "details");
    if (!cmp.rules.ignores(details)) {
      new ListsAndMaps(cmp).lists("@status.details", details, STATUS_DETAILS, p.getDetailsList(), c.getDetailsList());
    }
  }

  private static String codeName(int number) {
    Code code = Code.forNumber(number);
    return code == null ? String.valueOf(number) : code.name();
  }

  private static String outcome(Answer answer) {
    if (answer instanceof Answer.Failure f) {
      return Rendering.shorten(Rendering.quote(f.code().name() + ": " + f.message()));
    }
    if (answer instanceof Answer.Stream s && s.error().isPresent()) {
      return Rendering.shorten(Rendering.quote(codeName(s.error().get().getCode()) + ": " + s.error().get().getMessage()));
    }
    return Rendering.quote("OK");
  }

  private static String describe(Answer answer) {
    if (answer instanceof Answer.Unreadable u) {
      return Rendering.shorten(Rendering.quote("unreadable: " + u.problem()));
    }
    if (answer instanceof Answer.Success s) {
      return Rendering.quote("a " + s.message().getDescriptorForType().getFullName());
    }
    if (answer instanceof Answer.Stream s) {
      return Rendering.quote("a stream of " + s.messages().size());
    }
    return outcome(answer);
  }
}
