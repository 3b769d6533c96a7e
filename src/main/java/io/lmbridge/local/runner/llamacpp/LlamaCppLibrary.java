package io.lmbridge.local.runner.llamacpp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The current llama.cpp as {@code native/build.sh} built it into this jar: {@code liblmbridge-llama}
 * and its description, under {@code native/<os>-<arch>/} on the class path. A gateway built without
 * CMake or a C++ compiler has none, and its runners use java-llama.cpp.
 */
public final class LlamaCppLibrary {

  private static final String DIRECTORY = "native/" + platform() + "/";
  private static final String LIBRARY = System.mapLibraryName("lmbridge-llama");
  private static final String DESCRIPTION = "lmbridge-llama.properties";

  private static boolean loaded;

  /**
   * What was built.
   *
   * @param release the llama.cpp release ({@code v0.5.0})
   * @param tree    the start of its source tree's hash
   * @param backend {@code cpu} or {@code cuda}
   * @param source  the source tree it was built from, on the machine that built it
   */
  public record Build(String release, String tree, String backend, String source) {
  }

  private LlamaCppLibrary() {
  }

  /** The build in this jar, or empty when it has none for this platform. */
  public static Optional<Build> build() {
    ClassLoader loader = LlamaCppLibrary.class.getClassLoader();
    if (loader.getResource(DIRECTORY + LIBRARY) == null) {
      return Optional.empty();
    }
    try (InputStream in = loader.getResourceAsStream(DIRECTORY + DESCRIPTION)) {
      if (in == null) {
        return Optional.empty();
      }
      Properties description = new Properties();
      description.load(in);
      return Optional.of(new Build(description.getProperty("release"), description.getProperty("tree"),
          description.getProperty("backend"), description.getProperty("source")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DIRECTORY + DESCRIPTION, e);
    }
  }

  /**
   * Loads the library into this process, once: from its file when the classes come from a directory,
   * else copied out of the jar into {@code dir} first (a library inside a jar cannot be mapped).
   */
  static synchronized void load(Path dir) {
    if (loaded) {
      return;
    }
    URL resource = LlamaCppLibrary.class.getClassLoader().getResource(DIRECTORY + LIBRARY);
    if (resource == null) {
      throw new IllegalStateException("this gateway was built without the llama.cpp engine (" + DIRECTORY + LIBRARY
          + " is not in its jar): build it where CMake and a C++ compiler are installed, see native/README.md");
    }
    try {
      Path file;
      if ("file".equals(resource.getProtocol())) {
        file = Path.of(resource.toURI());
      } else {
        Files.createDirectories(dir);
        file = dir.resolve(LIBRARY);
        try (InputStream in = resource.openStream()) {
          Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      System.load(file.toAbsolutePath().toString());
      loaded = true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + LIBRARY + " out of the jar into " + dir, e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate " + resource, e);
    }
  }

  /** As native/build.sh names it: {@code uname -s} in lower case, {@code uname -m}. */
  private static String platform() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return (os.startsWith("mac") ? "darwin" : os.startsWith("windows") ? "windows" : os)
        + "-" + (arch.equals("amd64") ? "x86_64" : arch.equals("arm64") ? "aarch64" : arch);
  }
}
