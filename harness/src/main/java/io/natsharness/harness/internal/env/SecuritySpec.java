package io.natsharness.harness.internal.env;

import io.natsharness.harness.NatsUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The security a test asked for: TLS for NATS (optionally mutual), NATS users, and Redis
 * authentication and TLS.
 *
 * @param natsTls        NATS clients must use TLS
 * @param mutualTls      NATS clients must also present a certificate signed by the CA
 * @param natsUsers      NATS users; the first is the default
 * @param redisPassword  the default Redis user's password
 * @param redisUser      a Redis ACL user (name, password, rules) the clients use instead
 * @param redisTls       Redis speaks TLS only
 */
public record SecuritySpec(boolean natsTls, boolean mutualTls, List<NatsUser> natsUsers,
                           Optional<String> redisPassword, Optional<RedisUser> redisUser, boolean redisTls) {

    /**
     * A Redis ACL user.
     *
     * @param name     user name
     * @param password its password
     * @param rules    ACL rules, e.g. {@code ~app:* +@all}
     */
    public record RedisUser(String name, String password, List<String> rules) {
        public RedisUser {
            rules = List.copyOf(rules);
        }
    }

    public SecuritySpec {
        natsUsers = List.copyOf(natsUsers);
    }

    /** No TLS, no credentials. */
    public static SecuritySpec plain() {
        return new SecuritySpec(false, false, List.of(), Optional.empty(), Optional.empty(), false);
    }

    /** True when nothing is asked for. */
    public boolean isPlain() {
        return equals(plain());
    }

    /** True when a CA has to be made. */
    public boolean needsCa() {
        return natsTls || redisTls;
    }

    /** A short description for logs (no secrets). */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (natsTls) {
            parts.add(mutualTls ? "NATS mutual TLS" : "NATS TLS");
        }
        if (!natsUsers.isEmpty()) {
            parts.add("NATS users " + natsUsers.stream().map(NatsUser::name).toList());
        }
        redisPassword.ifPresent(p -> parts.add("Redis password"));
        redisUser.ifPresent(u -> parts.add("Redis ACL user " + u.name()));
        if (redisTls) {
            parts.add("Redis TLS");
        }
        return parts.isEmpty() ? "plain" : String.join(", ", parts);
    }
}
