package io.natsharness.harness;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A NATS user the environment's servers accept, with optional subject permissions. The first
 * user given to the builder is the one the injected clients and the implementation use; ask
 * {@link HarnessRuntimeInfo#natsOptions(String)} for the others.
 *
 * <pre>{@code
 * NatsHarnessExtension.builder()
 *     .withNatsUsers(
 *         NatsUser.password("app", "app-secret"),                       // full access
 *         NatsUser.password("reader", "r").allowPublish("_INBOX.>", "orders.get")
 *                                         .allowSubscribe("_INBOX.>"),
 *         NatsUser.nkey("robot"))                                       // key pair made at start
 *     .build();
 * }</pre>
 *
 * <p>A {@link #token(String) token} user must be the only user: nats-server's token mode knows
 * no user names and no permissions. Without permissions a user may publish and subscribe to
 * everything (JetStream included); with them, only what is listed, so list {@code _INBOX.>} for
 * request/reply and {@code $JS.API.>} for JetStream.
 */
public final class NatsUser {

    /** How the user proves who it is. */
    public enum Kind { PASSWORD, TOKEN, NKEY }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern SUBJECT = Pattern.compile("[^\\s\"\\\\]{1,256}");

    private final Kind kind;
    private final String name;
    private final String secret;
    private final List<String> publish;
    private final List<String> subscribe;

    private NatsUser(Kind kind, String name, String secret, List<String> publish, List<String> subscribe) {
        this.kind = kind;
        this.name = name;
        this.secret = secret;
        this.publish = List.copyOf(publish);
        this.subscribe = List.copyOf(subscribe);
    }

    /** A user name and password. */
    public static NatsUser password(String user, String password) {
        requireName(user);
        if (password == null || password.isEmpty() || password.contains("\"") || password.contains("\\")) {
            throw new IllegalArgumentException("password must not be empty or contain '\"' or '\\'");
        }
        return new NatsUser(Kind.PASSWORD, user, password, List.of(), List.of());
    }

    /** Token authentication (named {@code token} in {@link HarnessRuntimeInfo#natsOptions(String)}). */
    public static NatsUser token(String token) {
        if (token == null || token.length() < 8 || !token.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("token must be at least 8 letters, digits, '_', '.' or '-'");
        }
        return new NatsUser(Kind.TOKEN, "token", token, List.of(), List.of());
    }

    /** An nkey user; the harness makes its key pair at start and signs the server's nonce with it. */
    public static NatsUser nkey(String name) {
        requireName(name);
        return new NatsUser(Kind.NKEY, name, "", List.of(), List.of());
    }

    /** Only these subjects (wildcards allowed) may be published to. */
    public NatsUser allowPublish(String... subjects) {
        return new NatsUser(kind, name, secret, checkSubjects(subjects), subscribe);
    }

    /** Only these subjects (wildcards allowed) may be subscribed to. */
    public NatsUser allowSubscribe(String... subjects) {
        return new NatsUser(kind, name, secret, publish, checkSubjects(subjects));
    }

    /** How it authenticates. */
    public Kind kind() {
        return kind;
    }

    /** Its name: the user name, the nkey label, or {@code token}. */
    public String name() {
        return name;
    }

    /** Password or token (empty for nkey users). */
    public String secret() {
        return secret;
    }

    /** Subjects it may publish to; empty = all. */
    public List<String> publish() {
        return publish;
    }

    /** Subjects it may subscribe to; empty = all. */
    public List<String> subscribe() {
        return subscribe;
    }

    private List<String> checkSubjects(String... subjects) {
        if (kind == Kind.TOKEN) {
            throw new IllegalStateException("a token user cannot have permissions: nats-server's token mode has "
                    + "none; use NatsUser.password(..) or NatsUser.nkey(..)");
        }
        if (subjects == null || subjects.length == 0
                || Arrays.stream(subjects).anyMatch(s -> s == null || !SUBJECT.matcher(s).matches())) {
            throw new IllegalArgumentException("subjects must be non-empty, without spaces, quotes or backslashes: "
                    + Arrays.toString(subjects));
        }
        return List.of(subjects);
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a NATS user name is 1-64 letters, digits, '_', '.' or '-', was '"
                    + name + "'");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NatsUser u && kind == u.kind && name.equals(u.name) && secret.equals(u.secret)
                && publish.equals(u.publish) && subscribe.equals(u.subscribe);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name, secret, publish, subscribe);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase() + " user " + name;
    }
}
