package io.chorus.model;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request/consume over {@link Endpoint}s with decoding and the contract's error mapping: a consumer's
 * {@link ChorusException} travels as its code, anything else is logged and travels as 500 without
 * details, and a caller sees {@code TIMEOUT} or {@code NO_HANDLERS} as 503.
 */
public final class Bus {
  private static final Logger log = LoggerFactory.getLogger(Bus.class);

  /** Interactive requests fail fast rather than wait for the event bus default of 30 s. */
  public static final long DEFAULT_TIMEOUT_MS = 10_000;

  private Bus() {}

  public static <Q extends JsonRecord, R extends JsonRecord> Future<R> request(
      EventBus bus, Endpoint<Q, R> endpoint, Q request) {
    return request(bus, endpoint, request, DEFAULT_TIMEOUT_MS);
  }

  public static <Q extends JsonRecord, R extends JsonRecord> Future<R> request(
      EventBus bus, Endpoint<Q, R> endpoint, Q request, long timeoutMs) {
    return bus.<JsonObject>request(endpoint.address(), request.toJson(), new DeliveryOptions().setSendTimeout(timeoutMs))
        .recover(err -> Future.failedFuture(toChorus(err, endpoint.address())))
        .map(reply -> endpoint.replyDecoder().apply(reply.body()));
  }

  /**
   * Registers a consumer that decodes the request (400 when it does not decode), runs the handler and
   * replies with the record or the mapped failure. Wait for {@code completion()} before relying on it
   * cluster-wide.
   */
  public static <Q extends JsonRecord, R extends JsonRecord> MessageConsumer<JsonObject> consume(
      EventBus bus, Endpoint<Q, R> endpoint, Function<Q, Future<R>> handler) {
    return serve(bus, endpoint.address(),
        message -> handler.apply(endpoint.requestDecoder().apply(Fields.object(message.body()))));
  }

  /**
   * The one consume-and-reply loop, for consumers that read the message themselves (headers, a binary
   * body): runs {@code handler}, a throw counting as its failure ({@link Futures#attempt}), and replies
   * with its result (a {@link JsonRecord} as its JSON, anything else as it is) or the contract's code.
   */
  @SuppressWarnings("unchecked") // a result is only read, and any type is a reply
  public static <B> MessageConsumer<B> serve(
      EventBus bus, String address, Function<Message<B>, ? extends Future<?>> handler) {
    return bus.consumer(address, message -> Futures.attempt(() -> (Future<Object>) handler.apply(message))
        .onComplete(ar -> {
          if (ar.failed()) {
            fail(message, ar.cause(), address);
          } else {
            message.reply(ar.result() instanceof JsonRecord record ? record.toJson() : ar.result());
          }
        }));
  }

  /** Fails a message with the contract code of {@code err}; unexpected errors are logged here, once. */
  public static void fail(Message<?> message, Throwable err, String where) {
    ChorusException mapped = toChorus(err, where);
    message.fail(mapped.code().code(), mapped.getMessage());
  }

  /** Maps any failure to a {@link ChorusException}; logs the ones that are bugs, not outcomes. */
  public static ChorusException toChorus(Throwable err, String where) {
    if (err instanceof ChorusException ce) {
      return ce;
    }
    if (err instanceof ReplyException re) {
      switch (re.failureType()) {
        case TIMEOUT:
          return ChorusException.timedOut(where + " timed out");
        case NO_HANDLERS:
          return ChorusException.unavailable(where + " is unavailable");
        default:
          return new ChorusException(ErrorCode.of(re.failureCode()), re.getMessage());
      }
    }
    log.error("unexpected failure in {}", where, err);
    return new ChorusException(ErrorCode.INTERNAL, "internal error");
  }
}
