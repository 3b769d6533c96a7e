package io.lmbridge.provider;

import io.lmbridge.chat.ApiException;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ContentPart;
import io.lmbridge.chat.DataUrl;
import io.lmbridge.chat.Message;
import io.lmbridge.chat.Role;
import io.lmbridge.config.ImagesConfig;
import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.ImageServer;
import io.lmbridge.testkit.OllamaUpstream;
import io.lmbridge.testkit.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Image URLs become bytes within limits, and never from the gateway's own network unless allowed. */
class ImageFetcherTest {

  private static Vertx vertx;
  private static ImageServer images;
  private static ImageFetcher fetcher;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    images = ImageServer.start(vertx);
    fetcher = new ImageFetcher(vertx, vertx.createHttpClient());
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void privateLoopbackLinkLocalAndSpecialAddressesAreNotPublic() throws Exception {
    for (String address : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
        "0.0.0.0", "100.64.0.1", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd00::1", "fc00::1",
        "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "::10.0.0.1", "::169.254.169.254",
        "64:ff9b::127.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b::192.168.0.1")) {
      assertThat(PublicAddresses.isPublic(InetAddress.getByName(address))).as(address).isFalse();
    }
    for (String address : List.of("8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "100.128.0.1", "64:ff9b::8.8.8.8")) {
      assertThat(PublicAddresses.isPublic(InetAddress.getByName(address))).as(address).isTrue();
    }
  }

  @Test
  void fetchesAnImageWhenPrivateNetworksAreAllowed() {
    InlineImages inline = fetcher.inline(request(images.url("/pixel.png")), allowed(1024)).await();
    assertThat(inline.of(new ContentPart.Image(images.url("/pixel.png"), null)))
        .isEqualTo(new DataUrl("image/png", ImageServer.PNG_BASE64));
  }

  @Test
  void refusesLoopbackByDefault() {
    assertRefused(images.url("/pixel.png"), new ImagesConfig(false, 1024, 5), "private, loopback or link-local");
    assertRefused("http://localhost:1/x.png", new ImagesConfig(false, 1024, 5), "private, loopback or link-local");
  }

  @Test
  void followsRedirects() {
    String url = images.url("/hops/" + ImageDownload.MAX_REDIRECTS);
    InlineImages inline = fetcher.inline(request(url), allowed(1024)).await();
    assertThat(inline.of(new ContentPart.Image(url, null))).isEqualTo(new DataUrl("image/png", ImageServer.PNG_BASE64));
  }

  @Test
  void refusesMoreRedirectsThanTheLimit() {
    assertRefused(images.url("/hops/" + (ImageDownload.MAX_REDIRECTS + 1)), allowed(1024),
        "redirected more than " + ImageDownload.MAX_REDIRECTS + " times");
  }

  /** The image server counts as public here, so that only the redirect's target meets the real rules. */
  @Test
  void refusesARedirectIntoThePrivateNetwork() {
    ImageFetcher publicImageServer = new ImageFetcher(vertx, vertx.createHttpClient(),
        address -> address.getHostAddress().equals("127.0.0.1") || PublicAddresses.isPublic(address));
    ImagesConfig strict = new ImagesConfig(false, 1024, 5);
    assertThat(publicImageServer.inline(request(images.url("/pixel.png")), strict).await().of(
        new ContentPart.Image(images.url("/pixel.png"), null))).as("the first hop is allowed").isNotNull();
    for (String target : List.of(images.url("/pixel.png").replace("127.0.0.1", "127.0.0.2"),
        "http://169.254.169.254/latest/meta-data/", "http://[::ffff:10.0.0.1]/x.png")) {
      assertThatThrownBy(() -> publicImageServer.inline(request(redirectTo(target)), strict).await())
          .as(target)
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.error().status()).isEqualTo(400);
            assertThat(e.error().type()).isEqualTo("invalid_request_error");
            assertThat(e.error().param()).isEqualTo("messages[0].content[0].image_url");
            assertThat(e.error().message()).contains("redirected to '" + target + "'")
                .contains("private, loopback or link-local").contains("images.allow_private_networks");
          });
    }
  }

  @Test
  void refusesNonImagesOversizedImagesAndBadUrls() {
    assertRefused(images.url("/page.html"), allowed(1024), "not an image");
    assertRefused(images.url("/big.png"), allowed(ImageServer.BIG_BYTES - 1), "larger than");
    assertRefused(images.url("/missing.png"), allowed(1024), "HTTP 404");
    assertRefused("data:text/plain;base64,aGk=", allowed(1024), "base64 data URL of an image");
    assertRefused("ftp://example.com/x.png", allowed(1024), "http(s)");
  }

  @Test
  void parsesDataUrls() {
    assertThat(DataUrl.parse("data:Image/PNG;base64,AAAA")).contains(new DataUrl("image/png", "AAAA"));
    assertThat(DataUrl.parse("data:image/jpeg;name=x.jpg;base64,/9j/")).contains(new DataUrl("image/jpeg", "/9j/"));
    assertThat(DataUrl.parse("data:image/png,rawtext")).isEmpty();
    assertThat(DataUrl.parse("data:;base64,AAAA")).isEmpty();
    assertThat(DataUrl.parse("https://example.com/a.png")).isEmpty();
  }

  @Test
  void theGatewayAnswersARefusalAsA400NamingTheImage() {
    OllamaUpstream upstream = OllamaUpstream.start(vertx);
    try (TestGateway gateway = TestGateway.start(new JsonObject().put("providers", new JsonObject()
        .put("ollama", new JsonObject().put("base_url", upstream.baseUrl()))), "")) {
      Http.Reply reply = new Http(vertx, gateway.port()).post("/v1/chat/completions", new JsonObject()
          .put("model", "ollama:llava").put("messages", new JsonArray().add(new JsonObject().put("role", "user")
              .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "see"))
                  .add(new JsonObject().put("type", "image_url")
                      .put("image_url", new JsonObject().put("url", images.url("/pixel.png"))))))));
      assertThat(reply.status()).isEqualTo(400);
      assertThat(reply.error().getString("type")).isEqualTo("invalid_request_error");
      assertThat(reply.error().getString("param")).isEqualTo("messages[0].content[1].image_url");
      assertThat(reply.error().getString("message")).contains("images.allow_private_networks");
      assertThat(upstream.received()).isEmpty();
    }
  }

  private static void assertRefused(String url, ImagesConfig config, String reason) {
    assertThatThrownBy(() -> fetcher.inline(request(url), config).await())
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.error().status()).isEqualTo(400);
          assertThat(e.error().param()).isEqualTo("messages[0].content[0].image_url");
          assertThat(e.error().message()).contains(reason);
        });
  }

  private static String redirectTo(String target) {
    return images.url("/redirect?to=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
  }

  private static ImagesConfig allowed(long maxBytes) {
    return new ImagesConfig(true, maxBytes, 5);
  }

  private static ChatRequest request(String url) {
    return new ChatRequest("m", List.of(new Message(Role.USER, List.of(new ContentPart.Image(url, null)), null, null,
        null, null, null)), null, null, null, null, null, null, false, null, null, null);
  }
}
