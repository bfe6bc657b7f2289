package org.assemblypay.smpp.simulator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.jsmpp.session.connection.ServerConnection;
import org.jsmpp.session.connection.ServerConnectionFactory;
import org.jsmpp.session.connection.socket.ServerSocketConnection;

/** Listens on 127.0.0.1 only, with SO_REUSEADDR so a restarted simulator gets its port back. */
final class LoopbackServerConnectionFactory implements ServerConnectionFactory {

  private volatile int boundPort;

  int boundPort() {
    return boundPort;
  }

  @Override
  public ServerConnection listen(int port) throws IOException {
    return listen(port, 0, 50);
  }

  @Override
  public ServerConnection listen(int port, int timeout) throws IOException {
    return listen(port, timeout, 50);
  }

  @Override
  public ServerConnection listen(int port, int timeout, int backlog) throws IOException {
    var socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
      socket.setSoTimeout(timeout);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    boundPort = socket.getLocalPort();
    return new ServerSocketConnection(socket);
  }
}
