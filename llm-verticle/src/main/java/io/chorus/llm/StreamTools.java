package io.chorus.llm;

import io.chorus.llm.provider.ChatProvider;
import io.chorus.model.Timers;
import io.chorus.model.streams.StreamRegistry;

/**
 * What every {@link StreamSession} of a worker works with: the provider, storage and room, the context
 * rules, the cluster's stream registry with this worker's id, the chunk pacing window, the meters and the
 * limits of the provider's key (one {@link ProviderLimiter} per profile, shared by its answers).
 * One record on purpose: the worker builds these once and every session uses all of them; splitting it would
 * only lengthen {@code StreamSession}'s constructor.
 */
record StreamTools(
    ChatProvider provider,
    ConversationPort port,
    ContextBuilder context,
    StreamRegistry registry,
    String workerId,
    long chunkWindowMs,
    Timers scheduler,
    StreamMeters meters,
    ProviderLimiter limiter) {

  /** Without meters anyone reads and without provider limits (tests). */
  StreamTools(ChatProvider provider, ConversationPort port, ContextBuilder context, StreamRegistry registry,
      String workerId, long chunkWindowMs, Timers scheduler) {
    this(provider, port, context, registry, workerId, chunkWindowMs, scheduler, StreamMeters.none(),
        ProviderLimiter.of(ProviderLimiter.Limits.unlimited(Integer.MAX_VALUE)));
  }
}
