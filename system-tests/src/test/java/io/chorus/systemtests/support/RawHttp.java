package io.chorus.systemtests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A plain TCP connection to a gateway, for clients that misbehave below HTTP: half a request line, nothing
 * at all. The test thread blocks on it.
 */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;

  private RawHttp(Socket socket) {
    this.socket = socket;
  }

  public static RawHttp connect(int port) {
    try {
      return new RawHttp(new Socket(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RawHttp write(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one response's head and its {@code Content-Length} body; returns both as text. */
  public String readResponse(int timeoutSeconds) {
    try {
      socket.setSoTimeout(timeoutSeconds * 1000);
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new AssertionError("closed before a whole response head: " + head);
        }
        head.append((char) b);
      }
      int length = 0;
      for (String line : head.toString().split("\r\n")) {
        if (line.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(line.substring("content-length:".length()).trim());
        }
      }
      byte[] body = in.readNBytes(length);
      return head + new String(body, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits for the server to close the connection (end of stream or a reset), discarding anything it
   * sends before; fails the test when the connection is still open after {@code timeoutSeconds}.
   */
  public void awaitClosedByServer(int timeoutSeconds) {
    try {
      socket.setSoTimeout(timeoutSeconds * 1000);
      InputStream in = socket.getInputStream();
      while (in.read() >= 0) {
        // whatever the server says before closing
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open for " + timeoutSeconds + " s");
    } catch (IOException e) {
      // reset by the server: closed as well
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
