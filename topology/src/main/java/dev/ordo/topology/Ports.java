package dev.ordo.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The loopback ports of a topology. Every one is a property of the process that listens on it, so
 * a topology can run anywhere; the seed ports are those the profiles and the gateway default to.
 */
public record Ports(int gateway, int order, int dispatch, int delivery, int readModel, int catalog,
    int readModelApi, int postgres, int kafka) {

  /** Gateway 8080, order 8081, dispatch 8082, delivery 8083, read model 8084, catalog 8085, its api half 8086. */
  public static Ports seed() {
    return base(8080, 15432, 9092);
  }

  /** The gateway on {@code base}, the services on the next six, in the seed ports' order. */
  public static Ports base(int base, int postgres, int kafka) {
    return new Ports(base, base + 1, base + 2, base + 3, base + 4, base + 5, base + 6, postgres, kafka);
  }

  /** Nine ports free at this moment, each its own (for tests side by side with other topologies). */
  public static Ports free() {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[9];
      for (int i = 0; i < ports.length; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return new Ports(ports[0], ports[1], ports[2], ports[3], ports[4], ports[5], ports[6], ports[7], ports[8]);
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // it was only held to keep the nine apart
        }
      }
    }
  }
}
