package dev.ordo.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client for load: one keep-alive connection per client thread, blocking I/O,
 * no pooling or async machinery. On a 2-core machine the load generator shares the CPU with the
 * server; the JDK's HttpClient spent more of it than the server did, so the benchmark measured the
 * client. This one costs a few microseconds a request, like wrk.
 */
final class HttpLoadClient implements AutoCloseable {

  /** Status, headers (names in lower case) and body of one response. */
  record Response(int status, Map<String, String> headers, String body) {

    String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  private final String host;
  private final int port;
  private final String authorization;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  /** @param token the bearer token its commands carry (queries go anonymous, as a shopper's do), or null */
  HttpLoadClient(String host, int port, String token) {
    this.host = host;
    this.port = port;
    this.authorization = token == null ? "" : "Authorization: Bearer " + token + "\r\n";
  }

  Response post(String path, String json) throws IOException {
    return send("POST", path, json);
  }

  Response patch(String path, String json) throws IOException {
    return send("PATCH", path, json);
  }

  private Response send(String method, String path, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n" + authorization + "\r\n";
    return exchange(head, body);
  }

  Response get(String path) throws IOException {
    return exchange("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAccept: application/json\r\n\r\n",
        new byte[0]);
  }

  /** A GET with the client's token: an operation's (projections), not a shopper's. */
  Response getAuthorized(String path) throws IOException {
    return exchange("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAccept: application/json\r\n"
        + authorization + "\r\n", new byte[0]);
  }

  private Response exchange(String head, byte[] body) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        connect();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return read();
      } catch (IOException e) {
        close();
        if (attempt > 0) {
          throw e;
        }
      }
    }
  }

  private void connect() throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 5_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }
  }

  private Response read() throws IOException {
    String status = line();
    int code = Integer.parseInt(status.substring(9, 12));
    int length = -1;
    boolean chunked = false;
    boolean close = false;
    Map<String, String> headers = new HashMap<>();
    for (String header = line(); !header.isEmpty(); header = line()) {
      String lower = header.toLowerCase();
      int colon = header.indexOf(':');
      if (colon > 0) {
        headers.put(lower.substring(0, colon), header.substring(colon + 1).strip());
      }
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring(15).strip());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    String body;
    if (chunked) {
      var text = new StringBuilder();
      for (int size = Integer.parseInt(line().strip(), 16); size > 0; size = Integer.parseInt(line().strip(), 16)) {
        text.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
        line();
      }
      line();
      body = text.toString();
    } else {
      body = length <= 0 ? "" : new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
    if (close) {
      close();
    }
    return new Response(code, headers, body);
  }

  private String line() throws IOException {
    var line = new StringBuilder(64);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      socket = null;
    }
  }
}
