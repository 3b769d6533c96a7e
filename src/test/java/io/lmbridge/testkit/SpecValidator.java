package io.lmbridge.testkit;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A request schema cut from a provider's spec by {@code scripts/extract-schema.py}
 * ({@code src/test/resources/specs}), for test upstreams to check what the gateway sends them.
 */
public final class SpecValidator {

  private final Validator validator;

  private SpecValidator(Validator validator) {
    this.validator = validator;
  }

  public static SpecValidator load(String resource) {
    try (InputStream in = SpecValidator.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no schema " + resource);
      }
      JsonObject schema = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return new SpecValidator(Validator.create(JsonSchema.of(schema), new JsonSchemaOptions()
          .setDraft(Draft.DRAFT202012).setBaseUri("https://lmbridge.local/").setOutputFormat(OutputFormat.Basic)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What is wrong with {@code body}, one line per error; empty when it conforms. */
  public List<String> violations(JsonObject body) {
    OutputUnit result = validator.validate(body);
    if (Boolean.TRUE.equals(result.getValid())) {
      return List.of();
    }
    return result.getErrors().stream()
        .filter(error -> error.getError() != null)
        .map(error -> error.getInstanceLocation() + ": " + error.getError())
        .collect(Collectors.toList());
  }
}
