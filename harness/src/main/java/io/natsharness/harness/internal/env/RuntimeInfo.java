package io.natsharness.harness.internal.env;

import io.lettuce.core.RedisURI;
import io.nats.client.Options;
import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.RedisTopology;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The immutable {@link HarnessRuntimeInfo} of one scope (a class or a test method) of an environment.
 *
 * @param backend       the backend in use
 * @param backendReason why it was chosen
 * @param nats          NATS access of the default user
 * @param natsUsers     NATS access per user name
 * @param redis         Redis access, if any
 * @param scopeToken    unique to the scope, e.g. {@code 3f9a1c07be}
 * @param baseEnvironment the implementation environment without the scope's key prefix
 */
public record RuntimeInfo(
        Backend backend,
        String backendReason,
        NatsAccess nats,
        Map<String, NatsAccess> natsUsers,
        Optional<RedisAccess> redis,
        String scopeToken,
        Map<String, String> baseEnvironment) implements HarnessRuntimeInfo {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,200}");

    public RuntimeInfo {
        baseEnvironment = Map.copyOf(baseEnvironment);
        natsUsers = Map.copyOf(natsUsers);
    }

    @Override
    public Options.Builder natsOptions(String user) {
        NatsAccess access = natsUsers.get(user == null ? "" : user);
        if (access == null || user.isEmpty()) {
            throw new IllegalArgumentException("no NATS user '" + user + "' in this environment; its users are "
                    + natsUsers.keySet().stream().filter(k -> !k.isEmpty()).sorted().toList());
        }
        return access.options();
    }

    @Override
    public Optional<Path> caCertificate() {
        return nats.tlsFiles().map(NatsAccess.TlsFiles::caFile).or(() -> redis.flatMap(RedisAccess::caFile));
    }

    @Override
    public String natsUrl() {
        return nats.urls().get(0);
    }

    @Override
    public List<String> natsUrls() {
        return nats.urls();
    }

    @Override
    public Options.Builder natsOptions() {
        return nats.options();
    }

    @Override
    public RedisTopology redisTopology() {
        return redis.map(RedisAccess::topology).orElse(RedisTopology.NONE);
    }

    @Override
    public Optional<RedisURI> redisUri() {
        return redis.map(access -> access.uri(access.ports().get(0)));
    }

    @Override
    public List<RedisURI> redisUris() {
        return redis.map(RedisAccess::uris).orElse(List.of());
    }

    @Override
    public String keyPrefix() {
        return "nh-" + scopeToken + ":";
    }

    @Override
    public String uniqueName(String base) {
        if (base == null || !NAME.matcher(base).matches()) {
            throw new IllegalArgumentException("uniqueName needs a base of letters, digits, '_' or '-' (a valid "
                    + "JetStream name), was '" + base + "'");
        }
        return base + "_" + scopeToken;
    }

    @Override
    public Map<String, String> implementationEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(baseEnvironment);
        env.putIfAbsent("NH_KEY_PREFIX", keyPrefix());
        return Map.copyOf(env);
    }

    /** The same environment seen from another scope. */
    public RuntimeInfo forScope(String token) {
        return new RuntimeInfo(backend, backendReason, nats, natsUsers, redis, token, baseEnvironment);
    }

    @Override
    public String toString() {
        return "HarnessRuntimeInfo[" + backend + " (" + backendReason + "), nats=" + nats.urls()
                + redis.map(r -> ", redis=" + r).orElse("") + ", keyPrefix=" + keyPrefix() + "]";
    }
}
