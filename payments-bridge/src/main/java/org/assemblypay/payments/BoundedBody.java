package org.assemblypay.payments;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads provider response bodies into memory up to a bound; a longer body fails the exchange with
 * {@link TooLargeException} instead of filling the heap.
 */
public final class BoundedBody {

  private BoundedBody() {}

  /** A body handler that keeps at most {@link BoundedJson#MAX_RESPONSE_BYTES}. */
  public static HttpResponse.BodyHandler<byte[]> handler() {
    return handler(BoundedJson.MAX_RESPONSE_BYTES);
  }

  /** A body handler that keeps at most {@code maxBytes}. */
  public static HttpResponse.BodyHandler<byte[]> handler(int maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
    return responseInfo -> new Subscriber(maxBytes);
  }

  /** The provider sent a body larger than the bound. */
  public static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(int maxBytes) {
      super("response body over " + maxBytes + " bytes");
    }
  }

  private static final class Subscriber implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final int maxBytes;
    private Flow.Subscription subscription;
    private boolean abandoned;

    Subscriber(int maxBytes) {
      this.maxBytes = maxBytes;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (abandoned) {
        return;
      }
      for (ByteBuffer buffer : buffers) {
        if ((long) received.size() + buffer.remaining() > maxBytes) {
          abandoned = true;
          subscription.cancel();
          body.completeExceptionally(new TooLargeException(maxBytes));
          return;
        }
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        received.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable failure) {
      body.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      body.complete(received.toByteArray());
    }
  }
}
