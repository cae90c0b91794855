package dev.ordo.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A stand-in for one service behind the gateway: an HTTP server on 127.0.0.1 that records every
 * request reaching it and answers as the test says (by default 200 with a JSON body naming itself).
 * It can be stopped and started again on the same port, as a service that goes down and comes back.
 */
final class Backend {

  /** A request as the service received it. */
  record Call(String method, String path, String query, Map<String, List<String>> headers, String body) {

    String header(String name) {
      return headers.entrySet().stream()
          .filter(entry -> entry.getKey().equalsIgnoreCase(name))
          .map(entry -> entry.getValue().getFirst())
          .findFirst()
          .orElse(null);
    }
  }

  /** What the service answers. */
  record Answer(int status, Map<String, String> headers, byte[] body) {

    Answer(int status, Map<String, String> headers, String body) {
      this(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    static Answer of(int status, String body) {
      return new Answer(status, Map.of("Content-Type", "application/json"), body);
    }
  }

  private final String name;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private volatile Function<Call, Answer> answers;
  private HttpServer server;
  private int port;

  private Backend(String name) {
    this.name = name;
    this.answers = this::standard;
  }

  static Backend start(String name) {
    Backend backend = new Backend(name);
    backend.listen();
    return backend;
  }

  String name() {
    return name;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  void answer(Function<Call, Answer> answers) {
    this.answers = answers;
  }

  /** Down: connections to its port are refused. */
  synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  /** Up again on the same port, with the standard answer and no calls recorded. */
  synchronized void reset() {
    calls.clear();
    answers = this::standard;
    if (server == null) {
      listen();
    }
  }

  private synchronized void listen() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
    port = server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Call call = new Call(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
          exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()),
          new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      calls.add(call);
      Answer answer = answers.apply(call);
      answer.headers().forEach((header, value) -> exchange.getResponseHeaders().add(header, value));
      byte[] body = answer.body();
      exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
    }
  }

  /** 200, naming the service and what it received; echoes the request id, as a service may. */
  private Answer standard(Call call) {
    String body = "{\"service\":\"%s\",\"method\":\"%s\",\"path\":\"%s\"}".formatted(name, call.method(), call.path());
    String requestId = call.header("X-Request-Id");
    return new Answer(200, requestId == null
        ? Map.of("Content-Type", "application/json")
        : Map.of("Content-Type", "application/json", "X-Request-Id", requestId), body);
  }
}
