package io.chorus.model.streams;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * One chunk recorded in a stream's {@link StreamText} where it lives: its delta appended (or, for a whole
 * text, the text replaced), the index and prompt size set. Answers false, changing nothing, when the stream
 * has no text any more: it was claimed, so its owner must stop. On Hazelcast it runs as an entry processor
 * on the key's partition (and again on its backup), so a chunk costs the bytes of its delta, not of the
 * text so far; the no-argument constructor and {@code readData} are Hazelcast's.
 */
public final class TextChange implements EntryProcessor<String, StreamText, Boolean>, DataSerializable {
  private long index;
  private String text;
  private boolean whole;
  private int promptChars;

  /** For Hazelcast's deserialisation only. */
  public TextChange() {}

  private TextChange(long index, String text, boolean whole, int promptChars) {
    this.index = index;
    this.text = text;
    this.whole = whole;
    this.promptChars = promptChars;
  }

  static TextChange append(long index, String delta, int promptChars) {
    return new TextChange(index, delta, false, promptChars);
  }

  static TextChange whole(long index, String text, int promptChars) {
    return new TextChange(index, text, true, promptChars);
  }

  /** The text after this change, or null when there is none to change (the stream was claimed). */
  StreamText applyTo(StreamText current) {
    if (current == null) {
      return null;
    }
    return new StreamText(index, whole ? text : current.text().concat(text), promptChars);
  }

  @Override
  public Boolean process(Map.Entry<String, StreamText> entry) {
    StreamText next = applyTo(entry.getValue());
    if (next == null) {
      return false;
    }
    entry.setValue(next);
    return true;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(index);
    out.writeString(text);
    out.writeBoolean(whole);
    out.writeInt(promptChars);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    index = in.readLong();
    text = in.readString();
    whole = in.readBoolean();
    promptChars = in.readInt();
  }
}
