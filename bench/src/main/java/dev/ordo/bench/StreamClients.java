package dev.ordo.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live clients of {@code GET /api/v1/products/stream} (the firehose, or one product's events with
 * {@code ?productId=}) that cost the benchmark process next to nothing, so the load client beside
 * them is not starved: raw non-blocking sockets, and one thread reading all of them through a
 * selector, discarding what it reads and counting each client's events (lines starting {@code id:};
 * a frame's JSON has no raw newline, and the {@code : stream open} comment is no event).
 */
final class StreamClients implements AutoCloseable {

  /** What the clients were sent while they were connected. */
  record Received(int clients, int answered200, int endedByServer, long minEvents, long p10Events,
      long medianEvents, long maxEvents, long events, double readerCpuSeconds, double seconds) {}

  private static final byte[] EVENT = "\nid:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OK = "HTTP/1.1 200".getBytes(StandardCharsets.US_ASCII);
  /** Files the rest of the benchmark process may hold open beside the clients. */
  private static final int OTHER_FILES = 512;

  private final Selector selector;
  private final List<Client> clients = new ArrayList<>();
  private final AtomicInteger answered = new AtomicInteger();
  private Thread reader;
  private volatile boolean reading = true;
  private volatile Exception failure;
  private long started;
  private long readerCpuNanos;

  private StreamClients(Selector selector) {
    this.selector = selector;
  }

  /**
   * Fails unless the process may open a socket for each client and the server's end of it, both
   * being in this process, and what else it holds.
   */
  static void checkOpenFiles(int count) {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
      long needed = os.getOpenFileDescriptorCount() + 2L * count + OTHER_FILES;
      if (needed > os.getMaxFileDescriptorCount()) {
        throw new IllegalStateException(("%d stream clients need about %d open files in this process (a socket at "
            + "each end, %d open now) but the limit is %d: raise it (ulimit -n %d) before running the benchmark")
            .formatted(count, needed, os.getOpenFileDescriptorCount(), os.getMaxFileDescriptorCount(),
                Math.max(4096, Long.highestOneBit(needed) * 2)));
      }
    }
  }

  /**
   * Connects a client for each of {@code paths}, client i asking {@code GET paths[i]} (a stream of
   * changes from now on: {@code /api/v1/products/stream}, with or without a filter), and starts reading.
   */
  static StreamClients open(String host, int port, List<String> paths) throws IOException {
    checkOpenFiles(paths.size());
    StreamClients streams = new StreamClients(Selector.open());
    try {
      for (String path : paths) {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
            + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(host, port));
        Client client = new Client(channel, streams.answered);
        streams.clients.add(client);
        ByteBuffer out = ByteBuffer.wrap(request);
        while (out.hasRemaining()) {
          channel.write(out);
        }
        channel.configureBlocking(false);
        channel.register(streams.selector, SelectionKey.OP_READ, client);
      }
    } catch (IOException | RuntimeException e) {
      streams.close();
      throw e;
    }
    streams.started = System.nanoTime();
    streams.reader = Thread.ofPlatform().daemon().name("stream-clients").start(streams::read);
    return streams;
  }

  /** Clients whose stream has begun: the server answered 200. */
  int answered() {
    return answered.get();
  }

  private void read() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    try {
      while (reading) {
        selector.select(100);
        for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext(); ) {
          SelectionKey key = keys.next();
          keys.remove();
          Client client = (Client) key.attachment();
          buffer.clear();
          int read;
          try {
            read = client.channel.read(buffer);
          } catch (IOException e) {
            read = -1;
          }
          if (read < 0) {
            client.ended = true;
            key.cancel();
          } else {
            client.scan(buffer, read);
          }
        }
      }
    } catch (Exception e) {
      failure = e;
    } finally {
      readerCpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
  }

  /**
   * Stops reading (the clients stay connected until closed) and says what each was sent, and how
   * much CPU reading it took since the clients connected.
   */
  Received stop() throws Exception {
    reading = false;
    selector.wakeup();
    reader.join();
    double seconds = (System.nanoTime() - started) / 1e9;
    if (failure != null) {
      throw failure;
    }
    long[] events = clients.stream().mapToLong(client -> client.events).sorted().toArray();
    int ended = (int) clients.stream().filter(client -> client.ended).count();
    return new Received(clients.size(), answered.get(), ended, at(events, 0), at(events, 0.1), at(events, 0.5),
        at(events, 1), Arrays.stream(events).sum(), readerCpuNanos / 1e9, seconds);
  }

  private static long at(long[] sorted, double fraction) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.round(fraction * (sorted.length - 1))];
  }

  @Override
  public void close() throws IOException {
    reading = false;
    selector.wakeup();
    if (reader != null) {
      try {
        reader.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Client client : clients) {
      client.channel.close();
    }
    selector.close();
  }

  /** One connection; only the reading thread touches it until that thread has stopped. */
  private static final class Client {
    final SocketChannel channel;
    final AtomicInteger answered;
    final byte[] status = new byte[OK.length];
    int statusRead;
    int eventMatched;
    long events;
    boolean ended;

    Client(SocketChannel channel, AtomicInteger answered) {
      this.channel = channel;
      this.answered = answered;
    }

    /** Counts the events in what was just read, across reads: a state machine over "\nid:". */
    void scan(ByteBuffer buffer, int length) {
      for (int i = 0; i < length; i++) {
        byte b = buffer.get(i);
        if (statusRead < status.length) { // the response's first bytes: its status line
          status[statusRead++] = b;
          if (statusRead == status.length && Arrays.equals(status, OK)) {
            answered.incrementAndGet();
          }
        }
        if (b == EVENT[eventMatched]) {
          if (++eventMatched == EVENT.length) {
            events++;
            eventMatched = 0;
          }
        } else {
          eventMatched = b == EVENT[0] ? 1 : 0;
        }
      }
    }
  }
}
