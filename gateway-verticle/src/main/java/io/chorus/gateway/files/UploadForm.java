package io.chorus.gateway.files;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The fields of an upload's multipart body as {@link MultipartParser} finds them: the bytes of the first
 * {@code file} part go to a sink as they come, counted against the size limit (413 past it); the
 * {@code text} field is kept, bounded and without control characters (400 otherwise); other fields are
 * dropped.
 */
public final class UploadForm implements MultipartParser.Listener {
  static final String FILE_FIELD = "file";
  static final String TEXT_FIELD = "text";

  private enum Target { FILE, TEXT, IGNORED }

  private final long maxFileBytes;
  private final int maxTextCodePoints;
  private final Consumer<Buffer> fileSink;
  private Target target = Target.IGNORED;
  private boolean hasFile;
  private String filename;
  private Buffer text;
  private long fileBytes;

  UploadForm(long maxFileBytes, int maxTextCodePoints, Consumer<Buffer> fileSink) {
    this.maxFileBytes = maxFileBytes;
    this.maxTextCodePoints = maxTextCodePoints;
    this.fileSink = fileSink;
  }

  @Override
  public void partStart(String name, String partFilename) {
    if (FILE_FIELD.equals(name) && !hasFile) {
      hasFile = true;
      filename = partFilename;
      target = Target.FILE;
    } else if (TEXT_FIELD.equals(name) && text == null) {
      text = Buffer.buffer();
      target = Target.TEXT;
    } else {
      target = Target.IGNORED;
    }
  }

  @Override
  public void partData(Buffer data) {
    if (target == Target.FILE) {
      fileBytes += data.length();
      if (fileBytes > maxFileBytes) {
        throw new ChorusException(ErrorCode.TOO_LARGE, "file is larger than " + maxFileBytes + " bytes");
      }
      fileSink.accept(data);
    } else if (target == Target.TEXT) {
      // UTF-8 takes at most 4 bytes a character: a cheap bound before the exact count in text().
      if (text.length() + data.length() > maxTextCodePoints * 4L) {
        throw tooLongText();
      }
      text.appendBuffer(data);
    }
  }

  @Override
  public void partEnd() {
    target = Target.IGNORED;
  }

  boolean hasFile() {
    return hasFile;
  }

  /** The client's file name, unsanitized (storage sanitizes it). */
  String filename() {
    return filename;
  }

  long fileBytes() {
    return fileBytes;
  }

  /**
   * The text field, or null when there was none or it is blank; 400 when too long or when it holds a
   * control character other than tab and line breaks (PostgreSQL cannot store a NUL, and the others are
   * never typed).
   */
  String text() {
    if (text == null) {
      return null;
    }
    String value = text.toString(StandardCharsets.UTF_8);
    if (value.codePointCount(0, value.length()) > maxTextCodePoints) {
      throw tooLongText();
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
        throw ChorusException.badRequest(String.format(
            "%s must not contain control characters other than tab and line breaks (found U+%04X)",
            TEXT_FIELD, (int) c));
      }
    }
    return value.isBlank() ? null : value;
  }

  private ChorusException tooLongText() {
    return ChorusException.badRequest("text is longer than " + maxTextCodePoints + " characters");
  }
}
