package io.chorus.llm.provider;

/**
 * One server-sent event as {@link SseParser} dispatches it: the {@code event:} name ({@code "message"}
 * when absent), the {@code data:} lines joined with {@code \n}, and the last {@code id:} (or null).
 */
public record SseEvent(String event, String data, String id) {
  public static final String DEFAULT_EVENT = "message";
}
