package io.natsharness.harness.internal.junit;

import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.harness.Implementation;
import io.natsharness.harness.RedisTopology;
import io.natsharness.harness.internal.Drivers;
import io.natsharness.harness.internal.Environment;
import io.natsharness.harness.internal.embedded.Binaries;
import io.natsharness.harness.internal.env.BackendSelector;
import io.natsharness.harness.internal.env.DockerProbe;
import io.natsharness.harness.internal.env.EnvironmentSpec;
import io.natsharness.harness.internal.env.SecuritySpec;
import io.natsharness.harness.internal.env.Settings;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Finds or starts the environment of a context. All state lives in {@code ExtensionContext.Store}:
 * a class-level environment in the class's store (so {@code @Nested} classes and every test method
 * find it through the parent chain), a per-test one in the method's store, a shared one in the
 * root store under its specification. JUnit closes each with its store.
 */
public final class Environments {

    static final Namespace NAMESPACE = Namespace.create(Environments.class);

    private Environments() {
    }

    /** Key of an environment in a store: equal specs share (within a store chain or in the root). */
    private record EnvironmentKey(EnvironmentSpec spec) {
    }

    /** Key of a scope's clients: one set per context. */
    private record ClientsKey(EnvironmentSpec spec, String uniqueId) {
    }

    /**
     * The spec: the builder's, or the one of {@code @NatsHarnessTest} on the test class or an
     * enclosing class.
     */
    public static EnvironmentSpec spec(Optional<EnvironmentSpec> configured, ExtensionContext context) {
        if (configured.isPresent()) {
            return configured.get();
        }
        Optional<Class<?>> testClass = context.getTestClass();
        for (Class<?> c = testClass.orElse(null); c != null; c = c.getEnclosingClass()) {
            Optional<NatsHarnessTest> annotation = AnnotationSupport.findAnnotation(c, NatsHarnessTest.class);
            if (annotation.isPresent()) {
                return fromAnnotation(annotation.get());
            }
        }
        throw new ExtensionConfigurationException("NatsHarnessExtension was registered without a configuration: "
                + "annotate the test class with @NatsHarnessTest, or register NatsHarnessExtension.builder()...build() "
                + "in a @RegisterExtension field");
    }

    static EnvironmentSpec fromAnnotation(NatsHarnessTest annotation) {
        if (annotation.natsNodes() != 1 && annotation.natsNodes() != 3) {
            throw new ExtensionConfigurationException("@NatsHarnessTest(natsNodes = " + annotation.natsNodes()
                    + ") is not supported: use 1 (single node) or 3 (JetStream cluster)");
        }
        if (annotation.implementation().isBlank() && annotation.services().length > 0) {
            throw new ExtensionConfigurationException("@NatsHarnessTest(services = ...) needs implementation = "
                    + "\"<provider name>\" to say which implementation runs them");
        }
        Optional<Implementation> implementation = annotation.implementation().isBlank() ? Optional.empty()
                : Optional.of(Implementation.provider(annotation.implementation()).services(annotation.services()));
        RedisTopology redis = annotation.redis() ? annotation.redisTopology() : RedisTopology.NONE;
        return new EnvironmentSpec(annotation.backend(), annotation.natsNodes(), redis, implementation,
                annotation.shared(), SecuritySpec.plain());
    }

    /** The environment visible from {@code context}, if one was started. */
    public static Optional<Environment> find(EnvironmentSpec spec, ExtensionContext context) {
        Store store = spec.shared() ? context.getRoot().getStore(NAMESPACE) : context.getStore(NAMESPACE);
        return Optional.ofNullable(store.get(new EnvironmentKey(spec), Environment.class));
    }

    /**
     * The environment visible from {@code context}, started in {@code context}'s store when there is
     * none (so: per class when called from a class context, per test from a method context).
     */
    public static Environment getOrStart(EnvironmentSpec spec, ExtensionContext context) {
        Store store = spec.shared() ? context.getRoot().getStore(NAMESPACE) : context.getStore(NAMESPACE);
        return store.computeIfAbsent(new EnvironmentKey(spec), key -> start(spec), Environment.class);
    }

    /** The clients of {@code context}'s own scope. */
    static ScopeClients clients(EnvironmentSpec spec, Environment environment, ExtensionContext context) {
        return context.getStore(NAMESPACE).computeIfAbsent(new ClientsKey(spec, context.getUniqueId()),
                key -> new ScopeClients(environment), ScopeClients.class);
    }

    /** Starts an environment outside JUnit (see {@code NatsHarness}). */
    public static Environment start(EnvironmentSpec spec) {
        Settings settings = Settings.system();
        BackendSelector selector = new BackendSelector(settings, Binaries::natsServer, DockerProbe::answers);
        return Environment.start(spec, selector, Drivers.standard(settings));
    }
}
