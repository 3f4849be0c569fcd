package io.chorus.llm.provider;

import io.chorus.model.ChorusException;

/**
 * A listener that can take a failed attempt back: the HTTP streams call {@link #onRetryableError} instead
 * of {@code onError} when the failure is one a new request may fix (the connection failed, a 5xx or a
 * 429, the stream closed early). {@link RetryingProvider} implements it; it alone decides whether to try
 * again (no delta delivered yet, retries left) or to pass the failure on.
 */
interface AttemptListener extends ChatProvider.Listener {
  void onRetryableError(ChorusException failure);
}
