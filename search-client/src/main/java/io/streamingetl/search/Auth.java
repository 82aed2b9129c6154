package io.streamingetl.search;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.http.Header;
import org.apache.http.message.BasicHeader;

/** How the sink proves who it is to the search engine: one of these, or none. */
public sealed interface Auth {
    /** What it is, without its secret. */
    String describe();

    /** Whether it sends a reusable secret with every request (SigV4 sends only a signature). */
    default boolean sendsSecret() {
        return true;
    }

    /** The header every request carries, or null (SigV4 signs each request instead). */
    Header header();

    record None() implements Auth {
        public String describe() {
            return "none";
        }

        public boolean sendsSecret() {
            return false;
        }

        public Header header() {
            return null;
        }
    }

    record Basic(String username, String password) implements Auth {
        public String describe() {
            return "basic(" + username + ")";
        }

        public Header header() {
            return new BasicHeader("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    /** Elasticsearch's API key, as its API returns it encoded (base64 of id:api_key). */
    record ApiKey(String encoded) implements Auth {
        public String describe() {
            return "api-key";
        }

        public Header header() {
            return new BasicHeader("Authorization", "ApiKey " + encoded);
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    /** An OAuth2/OIDC or service token. */
    record Bearer(String token) implements Auth {
        public String describe() {
            return "bearer";
        }

        public Header header() {
            return new BasicHeader("Authorization", "Bearer " + token);
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    /** AWS Signature Version 4 for Amazon OpenSearch Service ({@code es}) or Serverless ({@code aoss}). */
    record AwsSigV4(String region, String service) implements Auth {
        public String describe() {
            return "aws-sigv4(" + service + ", " + region + ")";
        }

        public boolean sendsSecret() {
            return false;
        }

        public Header header() {
            return null;
        }
    }
}
