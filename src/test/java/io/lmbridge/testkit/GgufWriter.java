package io.lmbridge.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a GGUF v3 file: header, metadata key/values, tensor descriptions, then F32 tensor data, all
 * little-endian, each tensor's data starting on a {@link #ALIGNMENT}-byte boundary. Only the value
 * types {@link TinyGguf} needs are supported.
 */
final class GgufWriter {

  /** llama.cpp's default {@code general.alignment}. */
  static final int ALIGNMENT = 32;

  private static final int TYPE_UINT32 = 4;
  private static final int TYPE_INT32 = 5;
  private static final int TYPE_FLOAT32 = 6;
  private static final int TYPE_BOOL = 7;
  private static final int TYPE_STRING = 8;
  private static final int TYPE_ARRAY = 9;
  private static final int GGML_TYPE_F32 = 0;

  private final Bytes metadata = new Bytes();
  private int metadataCount;
  private final List<Tensor> tensors = new ArrayList<>();

  /**
   * A tensor as GGUF stores it.
   *
   * @param dims fastest-varying dimension first (GGML's {@code ne[0]}: the length of a row)
   */
  private record Tensor(String name, long[] dims, float[] data) {
  }

  GgufWriter string(String key, String value) {
    header(key, TYPE_STRING).string(value);
    return this;
  }

  GgufWriter uint32(String key, int value) {
    header(key, TYPE_UINT32).int32(value);
    return this;
  }

  GgufWriter float32(String key, float value) {
    header(key, TYPE_FLOAT32).float32(value);
    return this;
  }

  GgufWriter bool(String key, boolean value) {
    header(key, TYPE_BOOL).int8(value ? 1 : 0);
    return this;
  }

  GgufWriter strings(String key, List<String> values) {
    header(key, TYPE_ARRAY).int32(TYPE_STRING).int64(values.size());
    values.forEach(metadata::string);
    return this;
  }

  GgufWriter float32s(String key, float[] values) {
    header(key, TYPE_ARRAY).int32(TYPE_FLOAT32).int64(values.length);
    for (float value : values) {
      metadata.float32(value);
    }
    return this;
  }

  GgufWriter int32s(String key, int[] values) {
    header(key, TYPE_ARRAY).int32(TYPE_INT32).int64(values.length);
    for (int value : values) {
      metadata.int32(value);
    }
    return this;
  }

  /**
   * Adds an F32 tensor.
   *
   * @param dims fastest-varying dimension first, as GGUF stores them
   */
  GgufWriter tensor(String name, float[] data, long... dims) {
    long count = 1;
    for (long dim : dims) {
      count *= dim;
    }
    if (count != data.length) {
      throw new IllegalArgumentException(name + ": " + data.length + " values for dims " + Arrays.toString(dims));
    }
    tensors.add(new Tensor(name, dims, data));
    return this;
  }

  void write(Path file) throws IOException {
    Bytes head = new Bytes();
    head.raw("GGUF".getBytes(StandardCharsets.US_ASCII)).int32(3).int64(tensors.size()).int64(metadataCount);
    head.raw(metadata.toArray());
    long offset = 0;
    for (Tensor tensor : tensors) {
      head.string(tensor.name()).int32(tensor.dims().length);
      for (long dim : tensor.dims()) {
        head.int64(dim);
      }
      head.int32(GGML_TYPE_F32).int64(offset);
      offset = align(offset + 4L * tensor.data().length);
    }
    head.pad();
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(head.toArray());
      for (Tensor tensor : tensors) {
        ByteBuffer data = ByteBuffer.allocate((int) align(4L * tensor.data().length)).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(tensor.data());
        out.write(data.array());
      }
    }
  }

  private Bytes header(String key, int type) {
    metadataCount++;
    return metadata.string(key).int32(type);
  }

  private static long align(long offset) {
    return (offset + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  }

  /** A growing little-endian byte buffer with GGUF's primitive encodings. */
  private static final class Bytes {
    private ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    Bytes int8(int value) {
      room(1).put((byte) value);
      return this;
    }

    Bytes int32(int value) {
      room(4).putInt(value);
      return this;
    }

    Bytes int64(long value) {
      room(8).putLong(value);
      return this;
    }

    Bytes float32(float value) {
      room(4).putFloat(value);
      return this;
    }

    /** A GGUF string: its UTF-8 length as uint64, then the bytes, no terminator. */
    Bytes string(String value) {
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      return int64(utf8.length).raw(utf8);
    }

    Bytes raw(byte[] bytes) {
      room(bytes.length).put(bytes);
      return this;
    }

    /** Zero-fills up to the next alignment boundary, where tensor data must start. */
    Bytes pad() {
      int target = (int) align(buffer.position());
      room(target - buffer.position()).put(new byte[target - buffer.position()]);
      return this;
    }

    byte[] toArray() {
      byte[] bytes = new byte[buffer.position()];
      buffer.flip().get(bytes);
      return bytes;
    }

    private ByteBuffer room(int bytes) {
      if (buffer.remaining() < bytes) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes))
            .order(ByteOrder.LITTLE_ENDIAN);
        buffer = bigger.put(buffer.flip());
      }
      return buffer;
    }
  }
}
