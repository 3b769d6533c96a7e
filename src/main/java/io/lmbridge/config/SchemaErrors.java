package io.lmbridge.config;

import io.vertx.json.schema.OutputUnit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The validator's errors as one entry per wrong value. Besides what is wrong, the validator reports
 * each enclosing object and array that the error made invalid ({@code Property "server" does not
 * match schema}); those say nothing the innermost error does not, so only the innermost are kept.
 */
final class SchemaErrors {

  /** The validator's words for "something inside did not match". */
  private static final Pattern ENCLOSING = Pattern.compile(String.join("|",
      "Property \".*\" does not match (additional properties |unevaluated properties )?schema",
      "Property \".*\" matches pattern .* but does not match associated schema",
      "Items did not match (additional items |unevaluated items )?schema"));
  private static final String UNKNOWN_PROPERTY = " does not match additional properties schema";

  private SchemaErrors() {
  }

  /**
   * @param originOf where the value at a JSON pointer came from (the file, a variable, the defaults)
   * @return "ORIGIN: field.path: what is wrong", joined with "; "
   */
  static String describe(List<OutputUnit> errors, Function<String, String> originOf) {
    Map<String, List<String>> byLocation = new LinkedHashMap<>();
    for (OutputUnit error : errors) {
      if (error.getError() != null) {
        byLocation.computeIfAbsent(error.getInstanceLocation().replaceFirst("^#", ""), location -> new ArrayList<>())
            .add(error.getError());
      }
    }
    return byLocation.entrySet().stream()
        .filter(entry -> byLocation.keySet().stream().noneMatch(other -> other.startsWith(entry.getKey() + "/")))
        .map(entry -> originOf.apply(entry.getKey()) + ": " + field(entry.getKey()) + ": " + what(entry.getValue()))
        .collect(Collectors.joining("; "));
  }

  private static String field(String pointer) {
    return pointer.isEmpty() ? "(top level)" : pointer.substring(1).replace('/', '.');
  }

  /** With nothing inside it to blame, a property that fails only the "no other properties" rule is unknown. */
  private static String what(List<String> messages) {
    List<String> specific = messages.stream().filter(message -> !ENCLOSING.matcher(message).matches()).distinct()
        .toList();
    if (!specific.isEmpty()) {
      return String.join(", ", specific);
    }
    return messages.stream().allMatch(message -> message.endsWith(UNKNOWN_PROPERTY)) ? "not a known setting"
        : messages.stream().distinct().collect(Collectors.joining(", "));
  }
}
