/**
 * The comparison engine shared by the shadow suite and the gateway's SHADOW mode: two answers of
 * one method, compared as protobuf trees (an HTTP/JSON answer is read back into the method's type
 * first), give a deterministic list of {@link io.natsharness.proto.diff.Difference}s by path and
 * {@link io.natsharness.proto.diff.DifferenceKind kind}.
 *
 * <pre>{@code
 * MethodInfo method = ServiceCatalog.load().method("svc.util.payment.v1.charge").orElseThrow();
 * DiffRules rules = DiffConfig.read(Path.of("rules.json")).checkedAgainst(ServiceCatalog.load())
 *     .rules(method.subject());
 * Answer legacy = status == 200 ? AnswerJson.read(method.responseType(), body) : AnswerJson.readError(body);
 * Answer nats = Answer.of(response);                         // or Answer.error(code, message)
 * for (Difference d : MessageDiff.compare(method, legacy, nats, rules)) {
 *   metrics.count(method.subject(), d.field(), d.kind());    // e.g. "amount.minor_units", VALUE
 * }
 * }</pre>
 *
 * <p>Choices the issue left open:
 * <ul>
 *   <li>Paths use proto field names (as the schemas do), {@code [i]} for list elements and
 *       {@code ["k"]} for map keys; {@link io.natsharness.proto.diff.Difference#field()} strips
 *       both, and rules match that stripped form. Pseudo-fields start with {@code @}
 *       ({@code @status}, {@code @stream}) so they never clash with a field named {@code status}.
 *   <li>Absence follows proto3 JSON: an empty string or bytes, an unset field with presence, or an
 *       unset (or empty) message is absent, so a value on one side only is MISSING or EXTRA. A 0,
 *       {@code false} or the first enum value is a value: different numbers are VALUE.
 *   <li>Lists: same size and same elements in another order give one ORDER difference; another size
 *       gives SIZE, the common prefix element by element and the rest MISSING or EXTRA (no
 *       alignment search: predictable, and right for the append-only lists of the contract).
 *   <li>Ids: a remapped id field binds primary id to candidate id one to one, in walk order; an
 *       {@link io.natsharness.proto.diff.IdMap} shared across comparisons carries the binding
 *       through a session, and known primary ids inside other strings are rewritten before
 *       those are compared.
 *   <li>Values in differences are proto3 JSON text, except 64-bit integers, shown as plain numbers.
 * </ul>
 */
package io.natsharness.proto.diff;
