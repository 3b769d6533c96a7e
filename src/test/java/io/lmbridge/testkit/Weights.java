package io.lmbridge.testkit;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Random weight matrices: uniform in [-0.1, 0.1) times the shape's scale, small enough that activations stay
 * finite, written as the shape says (F32 or Q8_0). One random sequence per file, so a file's content
 * depends only on what is written, in which order.
 */
record Weights(GgufWriter gguf, SplittableRandom random, TinyGguf.Shape shape) {

  private static final long SEED = 20250320L;

  /** Weights drawn from the test kit's one seed. */
  static Weights seeded(GgufWriter gguf, TinyGguf.Shape shape) {
    return new Weights(gguf, new SplittableRandom(SEED), shape);
  }

  float[] values(int count) {
    double scale = shape.weightScale();
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) ((random.nextDouble() * 0.2 - 0.1) * scale);
    }
    return values;
  }

  /**
   * A layer's output matrix, the one that writes the residual stream; with a steady constant, the row that
   * writes dimension 0 is zero (see {@link TinyModel}).
   */
  float[] writingResidual(int count, int rowLength) {
    float[] matrix = values(count);
    if (shape.steadyConstant()) {
      Arrays.fill(matrix, 0, rowLength, 0f);
    }
    return matrix;
  }

  void random(String name, int rowLength, int rows) {
    matrix(name, values(rowLength * rows), rowLength, rows);
  }

  void residual(String name, int rowLength, int rows) {
    matrix(name, writingResidual(rowLength * rows, rowLength), rowLength, rows);
  }

  void matrix(String name, float[] values, int rowLength, int rows) {
    if (shape.quantized()) {
      gguf.q8Tensor(name, values, rowLength, rows);
    } else {
      gguf.tensor(name, values, rowLength, rows);
    }
  }

  /** An F32 tensor of one value, such as a norm's weights. */
  void filled(String name, float value, long... dims) {
    long count = 1;
    for (long dim : dims) {
      count *= dim;
    }
    float[] values = new float[Math.toIntExact(count)];
    Arrays.fill(values, value);
    gguf.tensor(name, values, dims);
  }
}
