package io.chorus.llm;

import io.chorus.llm.provider.ChatProvider;
import io.chorus.llm.provider.ChatTurn;
import java.util.List;

/** A provider the test drives by hand through the listener it was given. */
final class ScriptedProvider implements ChatProvider {
  List<ChatTurn> turns;
  Listener listener;
  int calls;
  boolean cancelled;

  @Override
  public Handle stream(List<ChatTurn> turns, Listener listener) {
    this.turns = turns;
    this.listener = listener;
    calls++;
    return () -> cancelled = true;
  }

  @Override
  public String describe() {
    return "scripted";
  }
}
