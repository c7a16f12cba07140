package io.natsharness.harness.internal.env;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where configuration outside the code comes from: system properties first, then environment
 * variables. Injected so tests can give their own values without touching the JVM's.
 *
 * @param properties system property lookup
 * @param environment environment variable lookup
 */
public record Settings(Function<String, String> properties, Function<String, String> environment) {

    /** System property naming the backend. */
    public static final String BACKEND_PROPERTY = "natsharness.backend";
    /** Environment variable naming the backend. */
    public static final String BACKEND_VARIABLE = "NH_BACKEND";

    /** The JVM's system properties and the process environment. */
    public static Settings system() {
        return new Settings(System::getProperty, System::getenv);
    }

    /** Fixed values, for tests: keys that look like variables (upper case) are environment variables. */
    public static Settings of(Map<String, String> values) {
        return new Settings(k -> k.equals(k.toUpperCase()) ? null : values.get(k),
                k -> k.equals(k.toUpperCase()) ? values.get(k) : null);
    }

    /** A system property, when set and not blank. */
    public Optional<String> property(String name) {
        return nonBlank(properties.apply(name));
    }

    /** An environment variable, when set and not blank. */
    public Optional<String> variable(String name) {
        return nonBlank(environment.apply(name));
    }

    /** The property {@code property}, else the variable {@code variable}. */
    public Optional<String> either(String property, String variable) {
        return property(property).or(() -> variable(variable));
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
