package io.chorus.model.streams;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.vertx.core.shareddata.Shareable;
import java.io.IOException;

/**
 * The part of a stream's cluster record that changes with every chunk: the text that reached the room up to
 * chunk {@code index} (-1 before the first), and the prompt's size for estimating usage. Kept apart from the
 * stream's other facts (owner, conversation, question: {@link StreamState}'s JSON, written once) so a chunk
 * changes it in place with a {@link TextChange} sent to where it lives, instead of the whole state going
 * back and forth. Immutable once built; the no-argument constructor and {@code readData} are Hazelcast's.
 */
public final class StreamText implements DataSerializable, Shareable {
  private long index;
  private String text;
  private int promptChars;

  /** For Hazelcast's deserialisation only. */
  public StreamText() {
    this(-1, "", 0);
  }

  StreamText(long index, String text, int promptChars) {
    this.index = index;
    this.text = text;
    this.promptChars = promptChars;
  }

  long index() {
    return index;
  }

  String text() {
    return text;
  }

  int promptChars() {
    return promptChars;
  }

  /** {@code state}'s facts with this text. */
  StreamState onto(StreamState state) {
    return state.withProgress(index, text).withPromptChars(promptChars);
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(index);
    out.writeString(text);
    out.writeInt(promptChars);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    index = in.readLong();
    text = in.readString();
    promptChars = in.readInt();
  }
}
