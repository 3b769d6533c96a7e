package io.lmbridge.local;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the gateway reads from a GGUF file without loading it: that it is GGUF at all, its
 * architecture, its trained context length and its chat template. Enough to list models, to pick how
 * a runner renders prompts, and to refuse a file that is not a model before a runner is started for it.
 *
 * @param contextLength the trained context, or 0 when the file does not say
 * @param chatTemplate  {@code tokenizer.chat_template} (a Jinja template), or null
 */
public record GgufHeader(int version, String architecture, long contextLength, String chatTemplate) {

  private static final int MAGIC = 0x46554747; // "GGUF" read little-endian
  private static final int STRING = 8;
  private static final int ARRAY = 9;
  private static final int MAX_STRING = 1 << 24;

  /** Reads the header; fails with a message for the client when the file is not GGUF. */
  public static GgufHeader read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      Reader reader = new Reader(new DataInputStream(new BufferedInputStream(in)));
      if (reader.u32() != MAGIC) {
        throw new IOException(file.getFileName() + " is not a GGUF file (wrong magic number)");
      }
      int version = reader.u32();
      reader.u64(); // tensor count
      long entries = reader.u64();
      String architecture = null;
      long context = 0;
      String template = null;
      for (long i = 0; i < entries; i++) {
        String key = reader.string();
        int type = reader.u32();
        if (key.equals("general.architecture") && type == STRING) {
          architecture = reader.string();
        } else if (architecture != null && key.equals(architecture + ".context_length")) {
          context = reader.integer(type);
        } else if (key.equals("tokenizer.chat_template") && type == STRING) {
          template = reader.string();
        } else {
          reader.skip(type);
        }
      }
      if (architecture == null) {
        throw new IOException(file.getFileName() + " is GGUF but names no architecture");
      }
      return new GgufHeader(version, architecture, context, template);
    } catch (EOFException e) {
      throw new IOException(file.getFileName() + " is not a GGUF file (truncated header)");
    }
  }

  public boolean hasChatTemplate() {
    return chatTemplate != null;
  }

  /**
   * Whether the chat template renders the tools it is given (it reads a {@code tools} variable), so
   * they can reach the model in the format it was trained on rather than in a system message.
   */
  public boolean templateTakesTools() {
    return chatTemplate != null && chatTemplate.contains("tools");
  }

  /** Little-endian primitives and GGUF's metadata value types. */
  private static final class Reader {

    private final DataInputStream in;

    Reader(DataInputStream in) {
      this.in = in;
    }

    int u32() throws IOException {
      return Integer.reverseBytes(in.readInt());
    }

    long u64() throws IOException {
      return Long.reverseBytes(in.readLong());
    }

    String string() throws IOException {
      long length = u64();
      if (length < 0 || length > MAX_STRING) {
        throw new IOException("implausible string length " + length + " in GGUF metadata");
      }
      return new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
    }

    long integer(int type) throws IOException {
      return switch (type) {
        case 0, 1 -> in.readByte();
        case 2, 3 -> Short.reverseBytes(in.readShort());
        case 4, 5 -> u32();
        case 10, 11 -> u64();
        default -> {
          skip(type);
          yield 0;
        }
      };
    }

    /** Skips one value of {@code type}: fixed sizes, strings, and arrays of either. */
    void skip(int type) throws IOException {
      if (type == STRING) {
        string();
      } else if (type == ARRAY) {
        int itemType = u32();
        long count = u64();
        for (long i = 0; i < count; i++) {
          skip(itemType);
        }
      } else {
        in.skipNBytes(size(type));
      }
    }

    private static int size(int type) throws IOException {
      return switch (type) {
        case 0, 1, 7 -> 1;
        case 2, 3 -> 2;
        case 4, 5, 6 -> 4;
        case 10, 11, 12 -> 8;
        default -> throw new IOException("unknown GGUF metadata type " + type);
      };
    }
  }
}
