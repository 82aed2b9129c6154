package io.streamingetl.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Where and how a service's ops server listens: {@code HTTP_PORT} (the service's own by default, 0 for any
 * free one), {@code OPS_BIND_ADDRESS} (127.0.0.1: only this machine; the images set 0.0.0.0, where a
 * container's network and a NetworkPolicy decide who reaches it), {@code OPS_THREADS} (4) and
 * {@code OPS_READ_TIMEOUT} (5s: a request not read whole by then is dropped, so slow clients cannot hold every
 * thread), and {@code OPS_TOKEN}, the operator's token (also from {@code OPS_TOKEN_FILE}): the endpoints that
 * change what a service does or show personal data answer only to it, and are off without it.
 */
public record OpsSettings(InetAddress bindAddress, int port, int threads, Duration readTimeout, String token) {
    public static final String OPS_TOKEN = "OPS_TOKEN";

    public static OpsSettings from(Settings settings, int defaultPort) {
        String address = settings.string("OPS_BIND_ADDRESS", "127.0.0.1");
        InetAddress bind;
        try {
            bind = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new SettingsException("OPS_BIND_ADDRESS", "is '" + address + "', not an address of this host");
        }
        Duration readTimeout = settings.duration("OPS_READ_TIMEOUT", Duration.ofSeconds(5));
        if (readTimeout.toSeconds() < 1) {
            throw new SettingsException("OPS_READ_TIMEOUT", "is " + readTimeout + ", must be at least 1s");
        }
        String token = settings.secret(OPS_TOKEN, "");
        if (!token.isEmpty() && token.length() < 16) {
            throw new SettingsException(OPS_TOKEN, "is " + token.length() + " characters long, must be at least 16");
        }
        return new OpsSettings(bind, settings.integer("HTTP_PORT", defaultPort, 0, 65535),
                settings.integer("OPS_THREADS", 4, 1, 64), readTimeout, token);
    }

    /** On 127.0.0.1, any free port, no token: for tests. */
    public static OpsSettings loopback(int port) {
        return new OpsSettings(InetAddress.getLoopbackAddress(), port, 4, Duration.ofSeconds(5), "");
    }

    /** The token stays out of logs and error messages. */
    @Override
    public String toString() {
        return "OpsSettings[bindAddress=" + bindAddress.getHostAddress() + ", port=" + port + ", threads=" + threads
                + ", readTimeout=" + readTimeout + ", token=" + SafeText.mask(token) + "]";
    }
}
