package dev.ordo.search.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Transport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/**
 * OpenSearch's REST API as its documentation writes it: JSON bodies in, JSON out, over the
 * opensearch-java transport (Apache HttpClient 5) with a timeout on every call. A status other
 * than the ones a call accepts is a {@link Failure}; a node that does not answer is any other
 * {@link IOException}.
 */
final class OpenSearchHttp implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  /** An answer with an error status. */
  static final class Failure extends IOException {

    final int status;

    Failure(int status, String method, String path, String body) {
      super(method + " " + path + " answered " + status + ": " + (body.length() > 2000 ? body.substring(0, 2000)
          : body));
      this.status = status;
    }

    /** Worth trying again: the node is overloaded or failing, not the request wrong. */
    boolean transientStatus() {
      return status == 429 || status >= 500;
    }
  }

  private final ApacheHttpClient5Transport transport;
  private final OpenSearchGenericClient client;

  OpenSearchHttp(URI url, Duration timeout) {
    HttpHost host = new HttpHost(url.getScheme(), url.getHost(), url.getPort());
    Timeout limit = Timeout.of(timeout);
    this.transport = ApacheHttpClient5TransportBuilder.builder(host).setMapper(new JacksonJsonpMapper(JSON))
        .setConnectionConfigCallback(c -> c.setConnectTimeout(limit).setSocketTimeout(limit))
        .setRequestConfigCallback(r -> r.setConnectionRequestTimeout(limit).setResponseTimeout(limit)).build();
    this.client = new OpenSearchGenericClient(transport);
  }

  JsonNode request(String method, String path, Map<String, String> parameters, Object body, int... accepted)
      throws IOException {
    Body json = body == null ? null : Body.from(JSON.writeValueAsBytes(body), "application/json");
    return execute(method, path, parameters, json, accepted);
  }

  JsonNode send(String method, String path, Object body, int... accepted) throws IOException {
    return request(method, path, Map.of(), body, accepted);
  }

  /** A {@code _bulk} request: one JSON line per entry. */
  JsonNode bulk(String path, Map<String, String> parameters, List<Object> lines) throws IOException {
    ByteArrayOutputStream ndjson = new ByteArrayOutputStream();
    for (Object line : lines) {
      ndjson.write(JSON.writeValueAsBytes(line));
      ndjson.write('\n');
    }
    return execute("POST", path, parameters, Body.from(ndjson.toByteArray(), "application/x-ndjson"));
  }

  private JsonNode execute(String method, String path, Map<String, String> parameters, Body body, int... accepted)
      throws IOException {
    try (var response = client.execute(Requests.create(method, path, List.of(), parameters, body))) {
      String text = response.getBody().map(Body::bodyAsString).orElse("");
      int status = response.getStatus();
      if (status >= 300 && java.util.Arrays.stream(accepted).noneMatch(a -> a == status)) {
        throw new Failure(status, method, path, text);
      }
      return text.isEmpty() ? MissingNode.getInstance() : JSON.readTree(text);
    }
  }

  @Override
  public void close() {
    try {
      transport.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }
}
