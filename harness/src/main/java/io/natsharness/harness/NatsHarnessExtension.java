package io.natsharness.harness;

import io.natsharness.harness.internal.Environment;
import io.natsharness.harness.internal.env.EnvironmentSpec;
import io.natsharness.harness.internal.env.SecuritySpec;
import io.natsharness.harness.internal.junit.Environments;
import io.natsharness.harness.internal.junit.FailureLogs;
import io.natsharness.harness.internal.junit.Parameters;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The JUnit 5 extension: starts NATS with JetStream (and Redis, and the implementation under test)
 * and resolves clients, runtime info and fault switches as parameters.
 *
 * <pre>{@code
 * class Programmatic {
 *     @RegisterExtension
 *     static NatsHarnessExtension harness = NatsHarnessExtension.builder()
 *             .withBackend(Backend.AUTO)
 *             .withJetStreamCluster(3)
 *             .withRedis(RedisTopology.STANDALONE)
 *             .withImplementation(Implementation.provider("reference").services("payment"))
 *             .build();
 *
 *     @Test
 *     void works(Connection nats, HarnessRuntimeInfo info, FaultSwitches faults) { ... }
 * }
 * }</pre>
 *
 * <p>In a {@code static} field (or through {@link NatsHarnessTest}) the environment lives as long
 * as the class, {@code @Nested} classes included; in an instance field, one per test method. With
 * {@link Builder#withSharedEnvironment()} one environment serves every class of equal configuration
 * and is closed at the end of the run. A failing test gets each server's log tail attached.
 *
 * <p>The extension keeps no state of its own: everything lives in {@code ExtensionContext.Store},
 * so one instance may serve parallel tests. Subclasses hook in with {@link #onBeforeAll} and
 * {@link #onBeforeEach}.
 */
public class NatsHarnessExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver,
        TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    private final Optional<EnvironmentSpec> configured;

    /** For {@code @ExtendWith} through {@link NatsHarnessTest}: the configuration is the annotation's. */
    public NatsHarnessExtension() {
        this.configured = Optional.empty();
    }

    /** For subclasses of a builder-made extension. */
    protected NatsHarnessExtension(Builder builder) {
        this.configured = Optional.of(builder.spec());
    }

    /** A builder with the defaults: AUTO backend, one NATS node, standalone Redis, no implementation. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public final void beforeAll(ExtensionContext context) {
        Environment environment = Environments.getOrStart(spec(context), context);
        onBeforeAll(context, environment.info(context.getUniqueId()));
    }

    @Override
    public final void beforeEach(ExtensionContext context) {
        // finds the class-level environment through the store's parent chain, or starts one for this test
        Environment environment = Environments.getOrStart(spec(context), context);
        onBeforeEach(context, environment.info(context.getUniqueId()));
    }

    /** Called once the class-level environment is ready. */
    protected void onBeforeAll(ExtensionContext context, HarnessRuntimeInfo info) {
    }

    /** Called before each test once its environment is ready. */
    protected void onBeforeEach(ExtensionContext context, HarnessRuntimeInfo info) {
    }

    @Override
    public final boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
        return Parameters.supports(parameterContext.getParameter().getType());
    }

    @Override
    public final Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        return Parameters.resolve(parameterContext.getParameter().getType(), spec(context), context);
    }

    @Override
    public final void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw FailureLogs.attach(spec(context), context, throwable);
    }

    @Override
    public final void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw FailureLogs.attach(spec(context), context, throwable);
    }

    @Override
    public final void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw FailureLogs.attach(spec(context), context, throwable);
    }

    private EnvironmentSpec spec(ExtensionContext context) {
        return Environments.spec(configured, context);
    }

    /**
     * Builds a {@link NatsHarnessExtension}. Setters check their argument at once; {@link #build()}
     * checks the combination.
     */
    public static class Builder {
        private Backend backend = Backend.AUTO;
        private int natsNodes = 1;
        private RedisTopology redis = RedisTopology.STANDALONE;
        private Implementation implementation;
        private boolean shared;
        private boolean tls;
        private boolean mutualTls;
        private List<NatsUser> natsUsers = List.of();
        private String redisPassword;
        private SecuritySpec.RedisUser redisUser;
        private boolean redisTls;

        protected Builder() {
        }

        /** NATS speaks TLS only, with a certificate from a throw-away CA made at start; clients trust it. */
        public Builder withTls() {
            this.tls = true;
            return this;
        }

        /** TLS where clients must also present a certificate of that CA (the injected clients do). */
        public Builder withMutualTls() {
            this.tls = true;
            this.mutualTls = true;
            return this;
        }

        /** The NATS users the servers accept; the first is the one injected clients and the implementation use. */
        public Builder withNatsUsers(NatsUser... users) {
            if (users == null || users.length == 0 || Arrays.stream(users).anyMatch(Objects::isNull)) {
                throw new IllegalArgumentException("withNatsUsers needs at least one user and no null");
            }
            this.natsUsers = List.of(users);
            return this;
        }

        /** Redis's default user requires {@code password}. */
        public Builder withRedisPassword(String password) {
            if (password == null || password.isBlank() || password.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("a Redis password must not be blank or contain whitespace");
            }
            this.redisPassword = password;
            return this;
        }

        /**
         * A Redis ACL user that the injected clients use, e.g.
         * {@code withRedisAclUser("app", "secret", "~app:*", "+@all")}.
         */
        public Builder withRedisAclUser(String name, String password, String... rules) {
            if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}") || name.equals("default")) {
                throw new IllegalArgumentException("a Redis ACL user name is 1-64 letters, digits, '_', '.' or '-' "
                        + "and not 'default', was '" + name + "'");
            }
            if (password == null || password.isBlank() || password.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("a Redis password must not be blank or contain whitespace");
            }
            if (rules == null || rules.length == 0) {
                throw new IllegalArgumentException("give the ACL rules of " + name + ", e.g. \"~*\", \"+@all\"");
            }
            this.redisUser = new SecuritySpec.RedisUser(name, password, List.of(rules));
            return this;
        }

        /** Redis speaks TLS only, with a certificate of the throw-away CA. */
        public Builder withRedisTls() {
            this.redisTls = true;
            return this;
        }

        /** Where the servers come from (default {@link Backend#AUTO}). */
        public Builder withBackend(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend must not be null");
            return this;
        }

        /** A JetStream cluster of {@code nodes} NATS servers: 1 (the default) or 3. */
        public Builder withJetStreamCluster(int nodes) {
            if (nodes != 1 && nodes != 3) {
                throw new IllegalArgumentException("withJetStreamCluster(" + nodes + ") is not supported: use 1 "
                        + "(single node) or 3 (a cluster that survives the loss of one node)");
            }
            this.natsNodes = nodes;
            return this;
        }

        /** The Redis topology (default {@link RedisTopology#STANDALONE}; {@link RedisTopology#NONE} for none). */
        public Builder withRedis(RedisTopology topology) {
            this.redis = Objects.requireNonNull(topology, "topology must not be null (use RedisTopology.NONE)");
            return this;
        }

        /** No Redis: same as {@code withRedis(RedisTopology.NONE)}. */
        public Builder withoutRedis() {
            return withRedis(RedisTopology.NONE);
        }

        /** The implementation under test; started once the servers are ready. */
        public Builder withImplementation(Implementation implementation) {
            this.implementation = Objects.requireNonNull(implementation, "implementation must not be null");
            return this;
        }

        /** One environment for every test class of equal configuration, closed at the end of the run. */
        public Builder withSharedEnvironment() {
            this.shared = true;
            return this;
        }

        EnvironmentSpec spec() {
            if (natsUsers.size() > 1 && natsUsers.stream().anyMatch(u -> u.kind() == NatsUser.Kind.TOKEN)) {
                throw new IllegalStateException("a token user must be the only NATS user: nats-server's token mode "
                        + "has no user names; use password or nkey users together");
            }
            boolean redisSecurity = redisPassword != null || redisUser != null || redisTls;
            if (redis == RedisTopology.NONE && redisSecurity) {
                throw new IllegalStateException("Redis security was configured but the environment has no Redis: "
                        + "add withRedis(RedisTopology.STANDALONE)");
            }
            SecuritySpec security = new SecuritySpec(tls, mutualTls, natsUsers, Optional.ofNullable(redisPassword),
                    Optional.ofNullable(redisUser), redisTls);
            return new EnvironmentSpec(backend, natsNodes, redis, Optional.ofNullable(implementation), shared,
                    security);
        }

        /** The extension, to be held in a {@code @RegisterExtension} field. */
        public NatsHarnessExtension build() {
            return new NatsHarnessExtension(this);
        }
    }
}
