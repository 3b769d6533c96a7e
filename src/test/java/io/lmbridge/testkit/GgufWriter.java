package io.lmbridge.testkit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a GGUF v3 file: header, metadata key/values, tensor descriptions, then tensor data (F32 or
 * Q8_0), all little-endian, each tensor's data starting on a {@link #ALIGNMENT}-byte boundary. Only
 * the value types {@link TinyGguf} needs are supported.
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
  private static final int GGML_TYPE_Q8_0 = 8;
  /** Q8_0 stores blocks of 32 weights: an F16 scale, then 32 signed bytes. */
  private static final int Q8_0_BLOCK = 32;
  private static final int Q8_0_BLOCK_BYTES = 2 + Q8_0_BLOCK;

  private final Bytes metadata = new Bytes();
  private int metadataCount;
  private final List<Tensor> tensors = new ArrayList<>();

  /**
   * A tensor as GGUF stores it.
   *
   * @param dims fastest-varying dimension first (GGML's {@code ne[0]}: the length of a row)
   * @param data encoded as {@code type} says
   */
  private record Tensor(String name, long[] dims, int type, byte[] data) {
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
    checkCount(name, data, dims);
    ByteBuffer bytes = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(data);
    tensors.add(new Tensor(name, dims, GGML_TYPE_F32, bytes.array()));
    return this;
  }

  /**
   * Adds a tensor quantized to Q8_0, the 8-bit type llama.cpp's own tools write: each block's scale is
   * its largest magnitude over 127. Rows ({@code dims[0]}) must be a whole number of blocks.
   */
  GgufWriter q8Tensor(String name, float[] data, long... dims) {
    checkCount(name, data, dims);
    if (dims[0] % Q8_0_BLOCK != 0) {
      throw new IllegalArgumentException(name + ": rows of " + dims[0] + " are not whole Q8_0 blocks");
    }
    ByteBuffer bytes = ByteBuffer.allocate(data.length / Q8_0_BLOCK * Q8_0_BLOCK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int block = 0; block < data.length; block += Q8_0_BLOCK) {
      float largest = 0;
      for (int i = block; i < block + Q8_0_BLOCK; i++) {
        largest = Math.max(largest, Math.abs(data[i]));
      }
      float scale = largest / 127;
      bytes.putShort(float16(scale));
      for (int i = block; i < block + Q8_0_BLOCK; i++) {
        bytes.put((byte) (scale == 0 ? 0 : Math.round(data[i] / scale)));
      }
    }
    tensors.add(new Tensor(name, dims, GGML_TYPE_Q8_0, bytes.array()));
    return this;
  }

  /** IEEE half precision, rounding half up (Java 17 has no conversion of its own). */
  static short float16(float value) {
    int bits = Float.floatToIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
    int mantissa = bits & 0x7fffff;
    if (exponent >= 31) {
      return (short) (sign | 0x7c00);
    }
    if (exponent <= 0) {
      if (exponent < -10) {
        return (short) sign;
      }
      int full = mantissa | 0x800000;
      int shift = 14 - exponent;
      return (short) (sign | ((full >> shift) + ((full >> (shift - 1)) & 1)));
    }
    // A carry out of the mantissa rounds into the exponent, as it should.
    return (short) ((sign | exponent << 10 | mantissa >> 13) + ((mantissa >> 12) & 1));
  }

  private static void checkCount(String name, float[] data, long[] dims) {
    long count = 1;
    for (long dim : dims) {
      count *= dim;
    }
    if (count != data.length) {
      throw new IllegalArgumentException(name + ": " + data.length + " values for dims " + Arrays.toString(dims));
    }
  }

  /** Writes the file {@code fileName} in {@code dir} and returns its path. */
  Path write(Path dir, String fileName) {
    Path file = dir.resolve(fileName);
    try {
      write(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private void write(Path file) throws IOException {
    Bytes head = new Bytes();
    head.raw("GGUF".getBytes(StandardCharsets.US_ASCII)).int32(3).int64(tensors.size()).int64(metadataCount);
    head.raw(metadata.toArray());
    long offset = 0;
    for (Tensor tensor : tensors) {
      head.string(tensor.name()).int32(tensor.dims().length);
      for (long dim : tensor.dims()) {
        head.int64(dim);
      }
      head.int32(tensor.type()).int64(offset);
      offset = align(offset + tensor.data().length);
    }
    head.pad();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      out.write(head.toArray());
      for (Tensor tensor : tensors) {
        out.write(tensor.data());
        out.write(new byte[(int) (align(tensor.data().length) - tensor.data().length)]);
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
