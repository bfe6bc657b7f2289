package org.assemblypay.smpp.jsmpp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.jsmpp.session.connection.Connection;
import org.jsmpp.session.connection.ConnectionFactory;
import org.jsmpp.session.connection.socket.SocketConnection;

/**
 * Opens plain TCP connections with a connect timeout and Nagle's algorithm off: every PDU is
 * written whole, and waiting to coalesce them would only add latency to each submit.
 */
final class TcpConnectionFactory implements ConnectionFactory {

  private final int connectTimeoutMillis;

  TcpConnectionFactory(int connectTimeoutMillis) {
    this.connectTimeoutMillis = connectTimeoutMillis;
  }

  @Override
  public Connection createConnection(String host, int port) throws IOException {
    var socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setKeepAlive(true);
      socket.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
      return new SocketConnection(socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }
}
