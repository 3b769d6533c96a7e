package io.lmbridge.testkit;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the metadata of a GGUF file (versions 2 and 3): its key/values in file order, not its tensors.
 *
 * <p>It exists so a tiny model can carry a real tokenizer: llama.cpp ships the vocabularies of many model
 * families as tensor-less GGUF files ({@code models/ggml-vocab-*.gguf}), and copying their
 * {@code tokenizer.ggml.*} values is what makes a random-weight model tokenize exactly as the real one.
 *
 * <p>Values come back as Java values: every integer type as {@link Long}, FLOAT32 as {@link Float},
 * FLOAT64 as {@link Double}, BOOL as {@link Boolean}, STRING as {@link String} and an ARRAY as an
 * unmodifiable {@link List} of those.
 */
final class GgufReader {

  private static final int MAGIC = 0x46554747; // "GGUF", little-endian
  /** Magic, version, tensor count and key/value count. */
  private static final int HEADER_BYTES = 24;

  private final Map<String, Object> values;

  private GgufReader(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  static GgufReader read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()).order(ByteOrder.LITTLE_ENDIAN);
      return new GgufReader(metadata(bytes, file));
    } catch (BufferUnderflowException e) {
      throw new IOException(file + ": truncated GGUF", e);
    }
  }

  /** All key/values, in the order the file has them. */
  Map<String, Object> values() {
    return values;
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  String string(String key) {
    return (String) value(key);
  }

  long integer(String key) {
    return (Long) value(key);
  }

  List<String> strings(String key) {
    return array(key, String.class);
  }

  int[] ints(String key) {
    return array(key, Long.class).stream().mapToInt(Long::intValue).toArray();
  }

  float[] floats(String key) {
    List<Float> list = array(key, Float.class);
    float[] floats = new float[list.size()];
    for (int i = 0; i < floats.length; i++) {
      floats[i] = list.get(i);
    }
    return floats;
  }

  private Object value(String key) {
    Object value = values.get(key);
    if (value == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return value;
  }

  private <T> List<T> array(String key, Class<T> type) {
    List<?> list = (List<?>) value(key);
    if (!list.isEmpty() && !type.isInstance(list.get(0))) {
      throw new IllegalArgumentException(key + " holds " + list.get(0).getClass().getSimpleName() + "s");
    }
    @SuppressWarnings("unchecked")
    List<T> typed = (List<T>) list;
    return typed;
  }

  private static Map<String, Object> metadata(ByteBuffer bytes, Path file) throws IOException {
    if (bytes.remaining() < HEADER_BYTES || bytes.getInt(0) != MAGIC || bytes.getInt(4) < 2 || bytes.getInt(4) > 3) {
      throw new IOException(file + ": not a GGUF v2 or v3 file");
    }
    bytes.position(16); // after the magic, the version and the tensor count
    long count = bytes.getLong();
    Map<String, Object> values = new LinkedHashMap<>();
    for (long i = 0; i < count; i++) {
      String key = string(bytes);
      values.put(key, value(bytes, bytes.getInt()));
    }
    return values;
  }

  /** Reads one value of a GGUF type, numbered as in {@code gguf.h}. */
  private static Object value(ByteBuffer bytes, int type) {
    return switch (type) {
      case 0 -> (long) Byte.toUnsignedInt(bytes.get());
      case 1 -> (long) bytes.get();
      case 2 -> (long) Short.toUnsignedInt(bytes.getShort());
      case 3 -> (long) bytes.getShort();
      case 4 -> Integer.toUnsignedLong(bytes.getInt());
      case 5 -> (long) bytes.getInt();
      case 6 -> bytes.getFloat();
      case 7 -> bytes.get() != 0;
      case 8 -> string(bytes);
      case 9 -> array(bytes);
      case 10, 11 -> bytes.getLong();
      case 12 -> bytes.getDouble();
      default -> throw new IllegalArgumentException("unknown GGUF value type " + type);
    };
  }

  private static List<Object> array(ByteBuffer bytes) {
    int type = bytes.getInt();
    long length = bytes.getLong();
    List<Object> list = new ArrayList<>((int) Math.min(length, bytes.remaining()));
    for (long i = 0; i < length; i++) {
      list.add(value(bytes, type));
    }
    return Collections.unmodifiableList(list);
  }

  private static String string(ByteBuffer bytes) {
    long length = bytes.getLong();
    if (length < 0 || length > bytes.remaining()) {
      throw new BufferUnderflowException();
    }
    byte[] utf8 = new byte[(int) length];
    bytes.get(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }
}
